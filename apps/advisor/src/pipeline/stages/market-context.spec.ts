import { candleSeries, longIdea, marketData } from '../../testing/fixtures';
import { marketContextStage } from './market-context';

describe('market context stage', () => {
  it('takes the best bid and ask from unsorted levels and computes the exact spread', () => {
    const data = marketData({
      orderBook: {
        symbol: 'BTCUSDT',
        time: 0,
        bids: [
          { price: '99.9', volume: '1' },
          { price: '99.95', volume: '1' },
        ],
        asks: [
          { price: '100.1', volume: '1' },
          { price: '100.05', volume: '1' },
        ],
      },
    });
    const { passed, data: view } = marketContextStage(data, longIdea());
    expect(passed).toBe(true);
    expect(view.bestBid?.toString()).toBe('99.95');
    expect(view.bestAsk?.toString()).toBe('100.05');
    expect(view.spreadPct?.toString()).toBe('0.1');
  });

  it('sorts bars by time, ignores other symbols and falls back to the last close for the price', () => {
    const candles = [...candleSeries({ count: 3 })].reverse().concat(candleSeries({ symbol: 'ETHUSDT', count: 2 }));
    const { data: view } = marketContextStage(marketData({ candles }), longIdea());
    expect(view.bars.map((b) => b.time)).toEqual([...view.bars.map((b) => b.time)].sort((a, b) => a - b));
    expect(view.bars).toHaveLength(3);
    expect(view.lastPrice?.toString()).toBe(candleSeries({ count: 3 })[2]?.close.replace(/0+$/, ''));
  });

  it('fails without candles and names what the provider could not serve', () => {
    const out = marketContextStage(marketData({ candles: [], errors: ['candles: BAD_GATEWAY'] }), longIdea());
    expect(out.passed).toBe(false);
    expect(out.reason).toContain('candles: BAD_GATEWAY');
  });

  it('prefers the ticker price and works without an order book', () => {
    const { data: view, reason } = marketContextStage(
      marketData({ orderBook: undefined, lastPrice: '123.45' }),
      longIdea(),
    );
    expect(view.lastPrice?.toString()).toBe('123.45');
    expect(view.spreadPct).toBeUndefined();
    expect(reason).toContain('no order book');
  });
});
