import type { OrderBook } from '@barfinex/contracts';
import { createDepthSync } from './depth-sync';
import { depthUpdate } from './testing/fixtures';
import type { BinanceDepthSnapshot } from './binance-schemas';

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function harness(market: 'spot' | 'futures', snapshots: BinanceDepthSnapshot[]) {
  const books: OrderBook[] = [];
  const reasons: string[] = [];
  const sync = createDepthSync({
    symbol: 'BTCUSDT',
    market,
    snapshot: async () => snapshots.shift() as BinanceDepthSnapshot,
    onBook: (b) => void books.push(b),
    onResync: (r) => void reasons.push(r),
  });
  return { sync, books, reasons };
}

const snap = (id: number, bid: string): BinanceDepthSnapshot => ({
  lastUpdateId: id,
  bids: [[bid, '1']],
  asks: [['101', '1']],
});

describe('depth sync', () => {
  it('spot: buffers while the snapshot loads, drops stale diffs, applies the straddling one', async () => {
    const h = harness('spot', [snap(100, '99')]);
    h.sync.onEvent(depthUpdate('BTCUSDT', 90, 95, [['98', '1']], []));
    h.sync.onEvent(
      depthUpdate(
        'BTCUSDT',
        96,
        105,
        [
          ['99', '0'],
          ['99.5', '2'],
        ],
        [],
      ),
    );
    await flush();
    expect(h.books.at(-1)).toMatchObject({ lastUpdateId: 105, bids: [{ price: '99.5', volume: '2' }] });
    expect(h.reasons).toEqual([]);
  });

  it('futures: continuity is pu = previous u; a break resyncs from a new snapshot', async () => {
    const h = harness('futures', [snap(100, '99'), snap(300, '97')]);
    h.sync.onEvent(depthUpdate('BTCUSDT', 95, 110, [], [], 94));
    await flush();
    h.sync.onEvent(depthUpdate('BTCUSDT', 111, 120, [['98', '1']], [], 110));
    expect(h.books.at(-1)?.lastUpdateId).toBe(120);
    h.sync.onEvent(depthUpdate('BTCUSDT', 290, 305, [['96', '1']], [], 250));
    await flush();
    expect(h.reasons).toHaveLength(1);
    expect(h.books.at(-1)).toMatchObject({
      lastUpdateId: 305,
      bids: [
        { price: '97', volume: '1' },
        { price: '96', volume: '1' },
      ],
    });
  });

  it('spot: an overlapping diff (U <= id < u) applies without a resync; U > id + 1 is a gap', async () => {
    const h = harness('spot', [snap(100, '99'), snap(400, '95')]);
    h.sync.onEvent(depthUpdate('BTCUSDT', 100, 110, [], []));
    await flush();
    h.sync.onEvent(depthUpdate('BTCUSDT', 105, 120, [['98', '3']], []));
    expect(h.books.at(-1)).toMatchObject({ lastUpdateId: 120 });
    expect(h.reasons).toEqual([]);
    h.sync.onEvent(depthUpdate('BTCUSDT', 122, 130, [], []));
    await flush();
    expect(h.reasons).toHaveLength(1);
  });
});
