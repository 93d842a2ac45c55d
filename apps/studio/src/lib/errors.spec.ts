import { AppError } from '@barfinex/contracts';
import { fieldErrors } from './errors';

describe('fieldErrors', () => {
  it("puts a 400's issues beside the field they name", () => {
    const err = new AppError('VALIDATION_ERROR', 'invalid', {
      details: { issues: [{ path: 'order.price', message: 'price is required for LIMIT orders' }] },
    });
    expect(fieldErrors(err)).toEqual({ fields: { price: 'price is required for LIMIT orders' }, general: null });
  });

  it('puts a refusal that names no field beside the field its code concerns', () => {
    const codes = { REDUCE_ONLY: 'reduceOnly', UNSUPPORTED_TIME_IN_FORCE: 'timeInForce' };
    // As the SDK raises it: the provider's error body under `upstream`.
    const rejected = new AppError('ORDER_REJECTED', 'reduce-only SELL would open the position', {
      details: {
        upstream: {
          status: 422,
          error: {
            code: 'ORDER_REJECTED',
            message: 'reduce-only SELL would open the position',
            details: { reason: 'REDUCE_ONLY' },
          },
        },
      },
    });
    expect(fieldErrors(rejected, codes).fields).toEqual({ reduceOnly: 'reduce-only SELL would open the position' });
    const venue = new AppError('VALIDATION_ERROR', 'FOK not offered', {
      details: { issues: [{ path: '', code: 'UNSUPPORTED_TIME_IN_FORCE', message: 'FOK not offered for MARKET' }] },
    });
    expect(fieldErrors(venue, codes).fields).toEqual({ timeInForce: 'FOK not offered for MARKET' });
    // Without a field for its code, the message stays general.
    expect(fieldErrors(rejected)).toEqual({ fields: {}, general: 'reduce-only SELL would open the position' });
  });
});
