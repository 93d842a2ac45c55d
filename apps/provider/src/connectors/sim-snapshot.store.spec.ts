import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import pino from 'pino';
import { createSimConnector } from './sim-connector';
import type { SimConnector } from './sim-connector';
import { storeSuite } from './sim-snapshot.store.fixture';

describe('simulator state store (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });
  storeSuite(() => db.prisma);
});

const HOUR = 3_600_000;

describe('sim connector start', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  const quiet = {
    onTrade: () => undefined,
    onOrderBook: () => undefined,
    onTicker: () => undefined,
    onOrderUpdate: () => undefined,
    onFill: () => undefined,
    onAccountChange: () => undefined,
  };

  it('starts a running market at the wall clock, not at the time it was created', async () => {
    let wall = Date.UTC(2026, 0, 5);
    const sim = await createSimConnector({
      prisma: db.prisma,
      seed: 7,
      symbols: ['BTCUSDT'],
      tickMs: 3_600_000,
      autostart: true,
      logger: pino({ level: 'silent' }),
      now: () => wall,
    });
    wall += 1_500;
    await sim.start(quiet);
    try {
      expect(sim.exchange.now()).toBe(wall);
    } finally {
      await sim.stop();
    }
  });

  describe('candle history across restarts', () => {
    const MINUTE = 60_000;
    const liveStart = Date.UTC(2026, 10, 24, 5, 55, 12, 345);
    const [from, to] = [Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-11-24T05:00:00Z')];
    let wall = liveStart;
    const bars = (sim: SimConnector) =>
      sim.candles?.('spot', 'BTCUSDT', 'min1', from, to + 4 * HOUR) ?? Promise.reject(new Error('no history'));
    /** A started connector on the shared database; `use` runs the market and stops it (which stores the state) whatever happens. */
    async function session<T>(seed: number, use: (sim: SimConnector) => Promise<T>): Promise<T> {
      const sim = await createSimConnector({
        prisma: db.prisma,
        seed,
        symbols: ['BTCUSDT'],
        tickMs: 3_600_000,
        autostart: true,
        logger: pino({ level: 'silent' }),
        now: () => wall,
      });
      await sim.start(quiet);
      try {
        return await use(sim);
      } finally {
        await sim.stop();
      }
    }
    /** Moves the market as the live timer would. */
    function run(sim: SimConnector, ms: number): void {
      sim.exchange.step(ms);
      wall = sim.exchange.now();
    }
    const centre = (sim: SimConnector) => sim.exchange.snapshot().symbols[0]?.centre;

    it('gives the same bars for the same range after a restart from the stored state, ending at the first start', async () => {
      wall = liveStart;
      const first = await session(8, async (sim) => {
        const startPrice = sim.exchange.lastPrice('spot', 'BTCUSDT');
        const before = await bars(sim);
        expect(before).toHaveLength((Date.UTC(2026, 10, 24, 5, 55) - from) / MINUTE);
        expect(before.at(-1)?.time).toBe(Date.UTC(2026, 10, 24, 5, 54));
        expect(Number(before.at(-1)?.close)).toBe(Number(startPrice));
        run(sim, 2 * HOUR);
        const movedTo = sim.exchange.lastPrice('spot', 'BTCUSDT');
        expect(movedTo).not.toBe(startPrice);
        return { startPrice, before, movedTo };
      });

      wall += 6 * HOUR;
      await session(8, async (sim) => {
        expect(sim.exchange.lastPrice('spot', 'BTCUSDT')).toBe(first.movedTo);
        expect(sim.exchange.liveStart('BTCUSDT')).toEqual({ time: liveStart, price: first.startPrice });
        expect(await bars(sim)).toEqual(first.before);
      });
    });

    it('loads state stored before the live start was kept, anchors history where that state stood, and keeps that anchor', async () => {
      wall = liveStart;
      const stopped = await session(9, async (sim) => {
        run(sim, HOUR);
        return { time: wall, price: centre(sim) };
      });
      const where = { exchangeKey_part: { exchangeKey: 'sim:9', part: 'core' } };
      const {
        startedAt: _startedAt,
        symbols,
        ...older
      } = (await db.prisma.simStatePart.findUniqueOrThrow({ where })).value as Record<string, unknown> & {
        symbols: Record<string, unknown>[];
      };
      await db.prisma.simStatePart.update({
        where,
        data: { value: { ...older, symbols: symbols.map(({ startPrice: _p, ...s }) => s) } as object },
      });

      wall += HOUR;
      const derived = await session(9, async (sim) => {
        expect(sim.exchange.liveStart('BTCUSDT')).toEqual(stopped);
        const history = await bars(sim);
        expect(history.at(-1)?.time).toBe(Math.floor(stopped.time / MINUTE) * MINUTE - MINUTE);
        expect(Number(history.at(-1)?.close)).toBe(Number(stopped.price));
        run(sim, HOUR);
        return history;
      });

      wall += HOUR;
      await session(9, async (sim) => {
        expect(sim.exchange.liveStart('BTCUSDT')).toEqual(stopped);
        expect(await bars(sim)).toEqual(derived);
      });
    });
  });
});
