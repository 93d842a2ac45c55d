// The state store's behaviour, run by sim-snapshot.store.spec.ts on PGlite and by
// sim-snapshot.store.int.spec.ts on PostgreSQL: the same SQL must hold on both.
import type { Database, PrismaClient } from '@barfinex/db';
import { createSimClock, createSimExchange } from './sim';
import type { SimExchange } from './sim';
import { PERSIST_CONFIG, randomOperations, seededRandom } from './sim/persist.fixture';
import { T0 } from './sim/spec-helpers';
import { createSimStateStore } from './sim-snapshot.store';

/** `getPool`: on PostgreSQL, the pg Pool the store writes through (as the provider runs it). */
export function storeSuite(getPrisma: () => PrismaClient, getPool: () => Database['pool'] = () => null): void {
  let keySeq = 0;
  let key = '';
  let wall = 0;
  beforeEach(() => {
    key = `sim:${++keySeq}`;
    wall = 1_000_000;
  });

  const exchange = (): SimExchange =>
    createSimExchange({ ...PERSIST_CONFIG, clock: createSimClock({ startMs: T0, paused: true }) });
  const storeFor = (ex: SimExchange, prisma: PrismaClient = getPrisma(), pool: Database['pool'] = getPool()) =>
    createSimStateStore({ prisma, pool, key, exchange: ex, now: () => wall, marketIntervalMs: 5_000 });
  const parts = async () =>
    (await getPrisma().simStatePart.findMany({ where: { exchangeKey: key }, select: { part: true } }))
      .map((r) => r.part)
      .sort();
  async function reloaded(): Promise<SimExchange> {
    const ex = exchange();
    expect(await storeFor(ex).load()).toBe('parts');
    return ex;
  }

  it('saving after every few random operations restores the exact state at every checkpoint', async () => {
    const ex = exchange();
    const store = storeFor(ex);
    expect(await store.load()).toBe('none');
    const random = seededRandom(21);
    for (let round = 0; round < 40; round++) {
      randomOperations(ex, random, 1 + Math.floor(random() * 6));
      wall += Math.floor(random() * 3_000);
      await store.save();
      if (round % 10 === 9) {
        await store.save({ all: true });
        expect((await reloaded()).snapshot()).toEqual(ex.snapshot());
      }
    }
    const snap = ex.snapshot();
    expect(snap.orders.length).toBeLessThan(snap.seq.order);
    const orderParts = (await parts()).filter((p) => p.startsWith('order:'));
    expect(orderParts).toEqual(snap.orders.map((o) => `order:${o.id}`).sort());
  });

  it('a crash between saves with throttled market parts restores orders, balances and positions', async () => {
    const ex = exchange();
    const store = storeFor(ex);
    await store.load();
    const random = seededRandom(22);
    await store.save();
    for (let round = 0; round < 15; round++) {
      randomOperations(ex, random, 4);
      wall += 700;
      await store.save();
    }
    // The last save wrote no market part (within the 5 s interval), and nothing was saved after it.
    randomOperations(ex, random, 2);
    wall += 100;
    await store.save();
    const live = ex.snapshot();
    randomOperations(ex, random, 10);

    const back = (await reloaded()).snapshot();
    expect(back.orders).toEqual(live.orders);
    expect(back.accounts).toEqual(live.accounts);
    expect(back.seq).toEqual(live.seq);
    expect(back.closed).toEqual(live.closed);
    expect(
      back.symbols.map(({ markets, ...s }) => ({ ...s, markets: markets.map((m) => [m.lastPrice, m.tradeSeq]) })),
    ).toEqual(
      live.symbols.map(({ markets, ...s }) => ({ ...s, markets: markets.map((m) => [m.lastPrice, m.tradeSeq]) })),
    );
  });

  it('migrates the legacy whole-snapshot row into parts and deletes it in the same write', async () => {
    const old = exchange();
    randomOperations(old, seededRandom(23), 150);
    const value = JSON.parse(JSON.stringify(old.snapshot())) as object;
    await getPrisma().keyValue.create({ data: { key, value, updatedAt: 1n } });

    const ex = exchange();
    const store = storeFor(ex);
    expect(await store.load()).toBe('legacy');
    expect(ex.snapshot()).toEqual(old.snapshot());
    await store.save();
    expect(await getPrisma().keyValue.findUnique({ where: { key } })).toBeNull();
    expect(await parts()).toContain('core');
    expect((await reloaded()).snapshot()).toEqual(old.snapshot());
  });

  it('keeps the live start, and derives it for a core stored before it was kept, storing it with the next save', async () => {
    const ex = exchange();
    const store = storeFor(ex);
    await store.load();
    ex.markLive();
    const start = ex.liveStart('TESTUSDT');
    randomOperations(ex, seededRandom(25), 60);
    await store.save({ all: true });
    expect((await reloaded()).liveStart('TESTUSDT')).toEqual(start);

    // What an older version wrote: a core without the live start and the symbols' start prices.
    const where = { exchangeKey_part: { exchangeKey: key, part: 'core' } };
    const {
      startedAt: _startedAt,
      symbols,
      ...older
    } = (await getPrisma().simStatePart.findUniqueOrThrow({ where })).value as Record<string, unknown> & {
      symbols: Record<string, unknown>[];
    };
    await getPrisma().simStatePart.update({
      where,
      data: { value: { ...older, symbols: symbols.map(({ startPrice: _p, ...s }) => s) } as object },
    });
    const old = exchange();
    const oldStore = storeFor(old);
    expect(await oldStore.load()).toBe('parts');
    const snap = old.snapshot();
    const derived = { TESTUSDT: old.liveStart('TESTUSDT'), OTHERUSDT: old.liveStart('OTHERUSDT') };
    expect(derived).toEqual({
      TESTUSDT: { time: snap.time, price: snap.symbols[0]?.centre },
      OTHERUSDT: { time: snap.time, price: snap.symbols[1]?.centre },
    });
    expect(old.markLive()).toBe(false);
    await oldStore.save();
    const stored = (await getPrisma().simStatePart.findUniqueOrThrow({ where })).value as {
      startedAt?: number;
      symbols: { startPrice?: string }[];
    };
    expect([stored.startedAt, ...stored.symbols.map((s) => s.startPrice)]).toEqual([
      snap.time,
      derived.TESTUSDT.price,
      derived.OTHERUSDT.price,
    ]);
    const again = await reloaded();
    expect({ TESTUSDT: again.liveStart('TESTUSDT'), OTHERUSDT: again.liveStart('OTHERUSDT') }).toEqual(derived);
    expect(again.snapshot()).toEqual(old.snapshot());
  });

  it('a failed write loses nothing: the next save carries its changes', async () => {
    const ex = exchange();
    let failNext = false;
    const real = getPrisma();
    // The write goes through the pool when there is one, else through Prisma: either may fail.
    const failing =
      <T extends object>(method: string) =>
      (target: T): T =>
        new Proxy(target, {
          get(t, prop, receiver) {
            if (prop === method && failNext) {
              failNext = false;
              return () => Promise.reject(new Error('connection lost'));
            }
            const value = Reflect.get(t, prop, receiver) as unknown;
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
          },
        });
    const pool = getPool();
    const store = storeFor(
      ex,
      failing<PrismaClient>('$queryRawUnsafe')(real),
      pool && failing<NonNullable<Database['pool']>>('query')(pool),
    );
    await store.load();
    const random = seededRandom(24);
    await store.save({ all: true });
    for (let round = 0; round < 12; round++) {
      randomOperations(ex, random, 5);
      wall += 2_000;
      if (round % 3 === 1) {
        failNext = true;
        await expect(store.save()).rejects.toThrow('connection lost');
        expect(store.isBehind()).toBe(true);
      } else {
        await store.save();
        expect(store.isBehind()).toBe(false);
      }
    }
    randomOperations(ex, random, 5);
    failNext = true;
    await expect(store.save({ all: true })).rejects.toThrow('connection lost');
    await store.save({ all: true });
    expect((await reloaded()).snapshot()).toEqual(ex.snapshot());
  });

  it('coalesces saves requested during a write into one follow-up that writes everything asked for', async () => {
    const ex = exchange();
    const store = storeFor(ex);
    await store.load();
    await store.save({ all: true });
    const takes: boolean[] = [];
    const take = ex.takeChanges.bind(ex);
    ex.takeChanges = (options) => {
      takes.push(options.markets);
      return take(options);
    };
    ex.setPrice('TESTUSDT', '101');
    wall += 1;
    const first = store.save();
    ex.setPrice('TESTUSDT', '102');
    const second = store.save();
    const third = store.save({ all: true });
    await Promise.all([first, second, third]);
    expect(takes).toEqual([false, true]);
    expect((await reloaded()).snapshot()).toEqual(ex.snapshot());
  });
}
