import type { Instrument, OrderCreate } from '@barfinex/contracts';
import { checkOrderAgainstInstrument } from './order-filters';

const btc: Instrument = {
  symbol: 'BTCUSDT',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  status: 'TRADING',
  connectorType: 'sim',
  marketType: 'spot',
  tickSize: '0.01',
  stepSize: '0.00001',
  minQty: '0.00001',
  maxQty: '1000',
  minNotional: '5',
};
const order = (o: Partial<OrderCreate>): OrderCreate => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.001',
  price: '60000',
  connectorType: 'sim',
  marketType: 'spot',
  ...o,
});

describe('checkOrderAgainstInstrument', () => {
  it('accepts a valid order', () => {
    expect(checkOrderAgainstInstrument(btc, order({}), '60000')).toBeUndefined();
  });
  it.each([
    [{ price: '60000.005' }, 'PRICE_FILTER'],
    [{ quantity: '0.000015' }, 'LOT_SIZE'],
    [{ quantity: '0.000001' }, 'LOT_SIZE'],
    [{ quantity: '2000' }, 'LOT_SIZE'],
    [{ quantity: '0.00001', price: '100' }, 'MIN_NOTIONAL'],
    [{ type: 'TRAILING_STOP_MARKET', price: undefined, callbackRate: '20' }, 'INVALID_ORDER'],
    [{ type: 'STOP_MARKET', price: undefined, stopPrice: '1.001' }, 'PRICE_FILTER'],
  ] as const)('rejects %j with %s', (patch, code) => {
    expect(checkOrderAgainstInstrument(btc, order(patch as Partial<OrderCreate>), '60000')?.code).toBe(code);
  });
  it('checks MARKET orders against MARKET_LOT_SIZE too, other orders against LOT_SIZE only', () => {
    const futures: Instrument = {
      ...btc,
      stepSize: '0.001',
      minQty: '0.001',
      maxQty: '1000',
      marketMaxQty: '120',
      marketStepSize: '0.01',
      marketMinQty: '0.01',
    };
    expect(
      checkOrderAgainstInstrument(futures, order({ type: 'MARKET', price: undefined, quantity: '121' }), '60000')?.code,
    ).toBe('MARKET_LOT_SIZE');
    expect(
      checkOrderAgainstInstrument(futures, order({ type: 'MARKET', price: undefined, quantity: '0.005' }), '60000')
        ?.code,
    ).toBe('MARKET_LOT_SIZE');
    expect(
      checkOrderAgainstInstrument(futures, order({ type: 'MARKET', price: undefined, quantity: '100' }), '60000'),
    ).toBeUndefined();
    expect(checkOrderAgainstInstrument(futures, order({ quantity: '121' }), '60000')).toBeUndefined();
  });
  it('uses the last price for the notional of a market order', () => {
    expect(
      checkOrderAgainstInstrument(btc, order({ type: 'MARKET', price: undefined, quantity: '0.00002' }), '100')?.code,
    ).toBe('MIN_NOTIONAL');
  });
});
