import { BacktestRequestSchema } from './backtest-routes';

const base = { detector: 'ema-cross', symbol: 'BTCUSDT', interval: 'min1', source: { type: 'synthetic', bars: 100 } };
const messages = (body: unknown) =>
  BacktestRequestSchema.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('backtest request', () => {
  it('takes fee rates from 0 up to, not including, 1', () => {
    expect(BacktestRequestSchema.parse(base).fees).toEqual({ maker: '0.0002', taker: '0.0005' });
    expect(BacktestRequestSchema.parse({ ...base, fees: { maker: 0, taker: '0.999' } }).fees).toEqual({
      maker: '0',
      taker: '0.999',
    });
    expect(messages({ ...base, fees: { taker: '5' } })).toEqual([
      expect.stringMatching(/^fees\.taker: a fee rate .* must be below 1/),
    ]);
    expect(messages({ ...base, fees: { maker: '1.0', taker: 1 } })).toHaveLength(2);
    expect(messages({ ...base, fees: { maker: '-0.0001' } })).toEqual([
      expect.stringMatching(/^fees\.maker: must not be negative/),
    ]);
  });

  it('takes a synthetic start price of at least 0.000001', () => {
    expect(
      BacktestRequestSchema.parse({ ...base, source: { ...base.source, startPrice: 0.000001 } }).source,
    ).toMatchObject({ startPrice: 0.000001 });
    for (const startPrice of [1e-300, 0.0000009, 0, -1]) {
      expect(messages({ ...base, source: { ...base.source, startPrice } })).toEqual([
        'source.startPrice: startPrice must be at least 0.000001',
      ]);
    }
  });
});
