// Unit level only: the SDK against a running provider is exercised in apps/provider/src/sdk.spec.ts.
import { AppError } from '@barfinex/contracts';
import { fillPath, isAmbiguousFailure, isUnreachable } from './index';

describe('fillPath', () => {
  it('encodes each parameter, so a value cannot change the route', () => {
    expect(fillPath('/orders/:orderId', { orderId: 'a/../b?c' })).toBe('/orders/a%2F..%2Fb%3Fc');
    expect(
      fillPath('/candles/:connectorType/:marketType/:symbol/:interval', {
        connectorType: 'sim',
        marketType: 'spot',
        symbol: 'BTCUSDT',
        interval: 'min1',
      }),
    ).toBe('/candles/sim/spot/BTCUSDT/min1');
  });
  it('refuses a missing parameter', () => {
    expect(() => fillPath('/orders/:orderId', {})).toThrow(/orderId/);
  });
});

describe('failure classification', () => {
  const upstream = (code: string) => ({ upstream: { code } });
  it.each([
    ['timeout', new AppError('GATEWAY_TIMEOUT', 'x', { details: upstream('ETIMEDOUT') }), true, false],
    ['reset after send', new AppError('BAD_GATEWAY', 'x', { details: upstream('ECONNRESET') }), true, false],
    ['refused', new AppError('BAD_GATEWAY', 'x', { details: upstream('ECONNREFUSED') }), false, true],
    ['500 reply', new AppError('INTERNAL', 'x', { status: 500 }), true, false],
    ['503 reply', new AppError('UNAVAILABLE', 'x'), true, false],
    ['400 reply', new AppError('VALIDATION_ERROR', 'x'), false, false],
    ['409 reply', new AppError('CONFLICT', 'x'), false, false],
    ['not an AppError', new Error('x'), true, false],
  ])('%s', (_name, err, ambiguous, unreachable) => {
    expect(isAmbiguousFailure(err)).toBe(ambiguous);
    expect(isUnreachable(err)).toBe(unreachable);
  });
});
