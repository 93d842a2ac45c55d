import { createSimClock } from './clock';
import { createSimExchange } from './exchange';
import type { SimExchange } from './exchange';
import { PERSIST_CONFIG, persistExchange, randomOperations, seededRandom } from './persist.fixture';
import { CORE_PART, assembleSnapshot, closedRuns, marketPartName, orderPartName, splitSnapshot } from './persist';
import type { SimChanges } from './persist';
import { T0 } from './spec-helpers';
import { MAX_TRACKED_EVICTIONS } from './state';

/** What a store does with taken changes, in memory: the reference the SQL store must match. */
function apply(stored: Map<string, unknown>, changes: SimChanges): void {
  const written = new Set<string>([CORE_PART]);
  // JSON round trip, as storage does: nothing may depend on shared object identity.
  const put = (part: string, value: unknown) => {
    written.add(part);
    stored.set(part, JSON.parse(JSON.stringify(value)));
  };
  put(CORE_PART, changes.core);
  for (const m of changes.markets) put(marketPartName(m.key), m.value);
  for (const o of changes.orders) put(orderPartName(o.id), o);
  for (const id of changes.evicted) {
    expect(written.has(orderPartName(id))).toBe(false);
    stored.delete(orderPartName(id));
  }
  if (changes.full) for (const part of [...stored.keys()]) if (!written.has(part)) stored.delete(part);
}

function restored(parts: Map<string, unknown>): SimExchange {
  const ex = createSimExchange({ ...PERSIST_CONFIG, clock: createSimClock({ startMs: T0, paused: true }) });
  ex.restore(assembleSnapshot(parts));
  return ex;
}

describe('sim incremental persistence', () => {
  it('split and assemble are inverse, and orders come back in registration (= numeric id) order', () => {
    const { ex } = persistExchange();
    randomOperations(ex, seededRandom(1), 400);
    const snap = ex.snapshot();
    const ids = snap.orders.map((o) => Number(o.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.some((id) => id >= 10)).toBe(true);
    // Reversed insertion: assembly must not depend on the storage's row order.
    const parts = new Map([...splitSnapshot(snap)].reverse());
    expect(assembleSnapshot(parts)).toEqual(snap);
    expect(restored(parts).snapshot()).toEqual(snap);
  });

  it.each([1, 2, 3, 4])('a store fed only with taken changes restores the exact state (seed %i)', (seed) => {
    const { ex } = persistExchange();
    const random = seededRandom(seed);
    const stored = new Map<string, unknown>();
    ex.markAllChanged();
    let accepted = 0;
    for (let round = 0; round < 60; round++) {
      accepted += randomOperations(ex, random, 1 + Math.floor(random() * 8));
      apply(stored, ex.takeChanges({ markets: random() < 0.3 }));
      if (round % 10 === 9) {
        apply(stored, ex.takeChanges({ markets: true }));
        expect(restored(stored).snapshot()).toEqual(ex.snapshot());
      }
    }
    expect(accepted).toBeGreaterThan(100);
    const snap = ex.snapshot();
    // Evictions happened and the store forgot those orders (retention 7).
    expect(snap.orders.length).toBeLessThan(snap.seq.order);
    expect([...stored.keys()].filter((p) => p.startsWith('order:'))).toHaveLength(snap.orders.length);
    expect(snap.accounts.some((a) => a.futures.positions.length > 0)).toBe(true);
  });

  it('without market parts, orders, balances and positions still restore exactly', () => {
    const { ex } = persistExchange();
    const random = seededRandom(9);
    const stored = new Map<string, unknown>();
    ex.markAllChanged();
    apply(stored, ex.takeChanges({ markets: true }));
    for (let round = 0; round < 30; round++) {
      randomOperations(ex, random, 5);
      apply(stored, ex.takeChanges({ markets: false }));
    }
    const live = ex.snapshot();
    const back = restored(stored).snapshot();
    expect(back.orders).toEqual(live.orders);
    expect(back.accounts).toEqual(live.accounts);
    expect(back.seq).toEqual(live.seq);
    expect(back.symbols.map((s) => s.markets.map((m) => [m.lastPrice, m.tradeSeq]))).toEqual(
      live.symbols.map((s) => s.markets.map((m) => [m.lastPrice, m.tradeSeq])),
    );
  });

  it('changes handed back after a failed write are taken again', () => {
    const { ex } = persistExchange();
    const random = seededRandom(5);
    const stored = new Map<string, unknown>();
    ex.markAllChanged();
    apply(stored, ex.takeChanges({ markets: true }));
    for (let round = 0; round < 20; round++) {
      randomOperations(ex, random, 6);
      const lost = ex.takeChanges({ markets: true });
      ex.returnChanges(lost);
      if (round % 3 === 0) randomOperations(ex, random, 3);
      apply(stored, ex.takeChanges({ markets: true }));
    }
    expect(restored(stored).snapshot()).toEqual(ex.snapshot());
  });

  it('a full take after a failed full take still rewrites everything', () => {
    const { ex } = persistExchange();
    randomOperations(ex, seededRandom(6), 100);
    ex.markAllChanged();
    const first = ex.takeChanges({ markets: false });
    expect(first.full).toBe(true);
    expect(first.markets).toHaveLength(4);
    ex.returnChanges(first);
    const stored = new Map<string, unknown>([['order:999999', { id: '999999' }]]);
    apply(stored, ex.takeChanges({ markets: false }));
    expect(stored.has('order:999999')).toBe(false);
    expect(restored(stored).snapshot()).toEqual(ex.snapshot());
    expect(ex.takeChanges({ markets: false }).full).toBe(false);
  });

  it('with a zero retention an order closed at once is evicted, never written', () => {
    const { ex } = persistExchange({ closedOrderRetention: 0 });
    const stored = new Map<string, unknown>();
    ex.markAllChanged();
    apply(stored, ex.takeChanges({ markets: true }));
    ex.placeOrder('a', { marketType: 'spot', symbol: 'TESTUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1' });
    const changes = ex.takeChanges({ markets: true });
    expect(changes.orders).toEqual([]);
    expect(changes.evicted).toEqual(['1']);
    apply(stored, changes);
    expect(restored(stored).snapshot()).toEqual(ex.snapshot());
  });

  it('reading the ticker slides its window and marks the market changed', () => {
    const { ex } = persistExchange();
    ex.setPrice('TESTUSDT', '101');
    ex.takeChanges({ markets: true });
    ex.skipTo(ex.now() + 2 * 86_400_000);
    expect(ex.takeChanges({ markets: true }).markets).toEqual([]);
    ex.ticker24h('spot', 'TESTUSDT');
    expect(ex.takeChanges({ markets: true }).markets.map((m) => m.key)).toEqual(['spot:TESTUSDT']);
  });

  it('an engine nobody drained keeps no bookkeeping: its first take is full, and so is one after a restore', () => {
    const { ex } = persistExchange();
    randomOperations(ex, seededRandom(12), 50);
    const first = ex.takeChanges({ markets: false });
    expect(first.full).toBe(true);
    expect(first.markets).toHaveLength(4);
    expect(ex.takeChanges({ markets: false }).full).toBe(false);
    ex.restore(ex.snapshot());
    expect(ex.takeChanges({ markets: false }).full).toBe(true);
  });

  it('evictions beyond the bookkeeping bound turn the next take into a full one that drops stale orders', () => {
    const { ex } = persistExchange({ closedOrderRetention: 0 });
    const stored = new Map<string, unknown>();
    const rest = () =>
      ex.placeOrder('a', {
        marketType: 'spot',
        symbol: 'TESTUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.1',
        price: '90',
      }).order.id;
    const early = rest();
    apply(stored, ex.takeChanges({ markets: true }));
    expect(stored.has(orderPartName(early))).toBe(true);
    ex.cancelOrder('a', 'spot', early);
    for (let i = 0; i < MAX_TRACKED_EVICTIONS; i++) ex.cancelOrder('a', 'spot', rest());
    const next = ex.takeChanges({ markets: false });
    expect(next.full).toBe(true);
    apply(stored, next);
    expect(stored.has(orderPartName(early))).toBe(false);
    expect(restored(stored).snapshot()).toEqual(ex.snapshot());
    expect(ex.takeChanges({ markets: false }).full).toBe(false);
  });

  it('refuses parts without a core, or an order part under another id', () => {
    expect(() => assembleSnapshot(new Map())).toThrow(/no core part/);
    const { ex } = persistExchange();
    ex.placeOrder('a', {
      marketType: 'spot',
      symbol: 'TESTUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.1',
      price: '90',
    });
    const parts = splitSnapshot(ex.snapshot());
    parts.set('order:2', parts.get('order:1'));
    expect(() => assembleSnapshot(parts)).toThrow(/order:2/);
  });

  it('keeps the closed-order ids as runs: a core with a thousand retained orders stays small', () => {
    const { ex } = persistExchange({ closedOrderRetention: 1000 });
    for (let i = 0; i < 1500; i++)
      ex.placeOrder('a', {
        marketType: 'spot',
        symbol: 'TESTUSDT',
        side: i % 2 ? 'SELL' : 'BUY',
        type: 'MARKET',
        quantity: '0.1',
      });
    ex.markAllChanged();
    const { core } = ex.takeChanges({ markets: true });
    expect(core.closedRuns).toEqual([[501, 1000]]);
    expect(JSON.stringify(core).length).toBeLessThan(2_000);
    expect(restored(new Map([...splitSnapshot(ex.snapshot())])).snapshot()).toEqual(ex.snapshot());
  });

  it('runs follow the order orders closed in, not their ids', () => {
    expect(closedRuns(['3', '4', '5', '1', '9', '10', '2'])).toEqual([
      [3, 3],
      [1, 1],
      [9, 2],
      [2, 1],
    ]);
    expect(closedRuns([])).toEqual([]);
  });

  it('a core stored as a plain list of closed ids still restores; malformed runs are refused', () => {
    const { ex } = persistExchange();
    randomOperations(ex, seededRandom(7), 200);
    const snap = ex.snapshot();
    expect(snap.closed.length).toBeGreaterThan(0);
    const parts = splitSnapshot(snap);
    const { closedRuns: _runs, ...legacy } = parts.get(CORE_PART) as Record<string, unknown>;
    parts.set(CORE_PART, { ...legacy, closed: snap.closed });
    expect(restored(parts).snapshot()).toEqual(snap);
    for (const bad of [[[1, 0]], [[-1, 2]], [['1', 2]], [[1, 2_000_000]], 'runs']) {
      parts.set(CORE_PART, { ...legacy, closedRuns: bad });
      expect(() => restored(parts)).toThrow();
    }
  });
});
