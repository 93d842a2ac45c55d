import { ConsistentCandleSchema, InstrumentSchema, SymbolPriceSchema, TradeSchema } from './market-data';

const candle = {
  symbol: 'BTCUSDT',
  interval: 'h1',
  time: 3_600_000,
  open: 100,
  high: '110',
  low: '95.50',
  close: 105,
  volume: 0,
};

describe('market data schemas', () => {
  it('accepts a consistent candle and normalises prices', () => {
    expect(ConsistentCandleSchema.parse(candle)).toMatchObject({ low: '95.5', open: '100', volume: '0' });
  });

  it('rejects candles whose prices contradict each other', () => {
    const issues = (input: object) =>
      ConsistentCandleSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ ...candle, low: '111' })).toEqual(['low', 'open', 'close']);
    expect(issues({ ...candle, close: '120' })).toEqual(['close']);
    expect(issues({ ...candle, closeTime: 1 })).toEqual(['closeTime']);
    expect(issues({ ...candle, interval: '1h' })).toEqual(['interval']);
  });

  it('rejects trades with zero price or an unknown side, and odd symbols', () => {
    const trade = { time: 1, symbol: 'BTCUSDT', price: '1', volume: '1', side: 'LONG' };
    expect(TradeSchema.safeParse(trade).success).toBe(true);
    expect(TradeSchema.safeParse({ ...trade, price: 0 }).success).toBe(false);
    expect(TradeSchema.safeParse({ ...trade, side: 'BUY' }).success).toBe(false);
    expect(TradeSchema.safeParse({ ...trade, symbol: 'BTC USDT' }).success).toBe(false);
    expect(TradeSchema.safeParse({ ...trade, time: 1.5 }).success).toBe(false);
  });

  it('keeps unknown Binance ticker keys and defaults the instrument status', () => {
    const ticker = SymbolPriceSchema.parse({
      E: 1,
      s: 'BTCUSDT',
      p: '-1',
      P: '-0.1',
      w: '1',
      o: '1',
      h: '1',
      l: '1',
      c: '1',
      v: '1',
      q: '1',
      O: 0,
      C: 1,
      F: -1,
      L: -1,
      n: 0,
      x: '0.9',
    });
    expect(ticker).toMatchObject({ e: '24hrTicker', x: '0.9', p: '-1' });
    const instrument = InstrumentSchema.parse({
      symbol: 'ETHUSDT',
      baseAsset: 'ETH',
      quoteAsset: 'USDT',
      connectorType: 'sim',
      marketType: 'spot',
      tickSize: 0.01,
    });
    expect(instrument).toMatchObject({ status: 'TRADING', tickSize: '0.01' });
  });
});
