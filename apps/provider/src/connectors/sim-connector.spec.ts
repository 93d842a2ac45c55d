import type { PrismaClient } from '@barfinex/db';
import pino from 'pino';
import { createSimConnector } from './sim-connector';
import type { SimStateStore } from './sim-snapshot.store';

const quiet = {
  onTrade: () => undefined,
  onOrderBook: () => undefined,
  onTicker: () => undefined,
  onOrderUpdate: () => undefined,
  onFill: () => undefined,
  onAccountChange: () => undefined,
};

/** A store that keeps nothing and fails the writes it is told to. */
function scriptedStore() {
  const outcomes: Array<'fail' | 'ok'> = [];
  const saves: Array<'fail' | 'ok'> = [];
  const store: SimStateStore = {
    load: async () => 'none',
    isBehind: () => false,
    save: async () => {
      const outcome = outcomes.shift() ?? 'ok';
      saves.push(outcome);
      if (outcome === 'fail') throw new Error('connection to the database lost');
    },
  };
  return { store, outcomes, saves };
}

/** A BTCUSDT sim whose market stays paused, on the given store. */
function pausedSim(store: SimStateStore, tickMs = 1_000) {
  return createSimConnector({
    prisma: {} as PrismaClient,
    seed: 7,
    symbols: ['BTCUSDT'],
    tickMs,
    autostart: false,
    logger: pino({ level: 'silent' }),
    now: () => Date.UTC(2026, 0, 5),
    createStore: () => store,
  });
}

/** A spot MARKET order of 0.001 BTC. */
function marketOrder(sim: Awaited<ReturnType<typeof pausedSim>>, clientOrderId: string, side: 'BUY' | 'SELL') {
  return sim.placeOrder('spot', { clientOrderId, symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.001' });
}

// Every test here drives the connector's tick timer by hand.
beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('sim connector when saving its state fails', () => {
  it('answers an accepted order and saves it on the next tick of a paused market', async () => {
    const s = scriptedStore();
    const tickMs = 1_000;
    const sim = await pausedSim(s.store, tickMs);
    await sim.start(quiet);
    try {
      s.outcomes.push('fail');
      const placed = await marketOrder(sim, 'c-1', 'BUY');
      expect(placed.order).toMatchObject({ clientOrderId: 'c-1', status: 'FILLED', externalId: expect.any(String) });
      expect(placed.fills.length).toBeGreaterThan(0);
      expect(s.saves).toEqual(['fail']);

      // The paused market does not move, yet the tick retries the save that failed, once.
      await jest.advanceTimersByTimeAsync(tickMs);
      expect(s.saves).toEqual(['fail', 'ok']);
      await jest.advanceTimersByTimeAsync(tickMs);
      expect(s.saves).toEqual(['fail', 'ok']);
    } finally {
      await sim.stop();
    }
  });

  it('keeps retrying on later ticks while the saves go on failing', async () => {
    const s = scriptedStore();
    const sim = await pausedSim(s.store);
    await sim.start(quiet);
    try {
      s.outcomes.push('fail', 'fail');
      const resting = await sim.placeOrder('spot', {
        clientOrderId: 'c-2',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.001',
        price: '10000',
      });
      expect(resting.order.status).toBe('NEW');
      await jest.advanceTimersByTimeAsync(1_000);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(s.saves).toEqual(['fail', 'fail', 'ok']);
    } finally {
      await sim.stop();
    }
  });
});

describe('sim connector candle history', () => {
  it('joins history to the market where start() sets it live, and stores that start on the first tick', async () => {
    const s = scriptedStore();
    let wall = Date.UTC(2026, 10, 24, 5, 53, 40);
    const sim = await createSimConnector({
      prisma: {} as PrismaClient,
      seed: 7,
      symbols: ['BTCUSDT'],
      tickMs: 1_000,
      autostart: true,
      logger: pino({ level: 'silent' }),
      now: () => wall,
      createStore: () => s.store,
    });
    // Starting the other parts took a while: the market goes live at 05:55:12, at its starting price.
    wall = Date.UTC(2026, 10, 24, 5, 55, 12);
    await sim.start(quiet);
    try {
      const startPrice = sim.exchange.lastPrice('spot', 'BTCUSDT');
      expect(sim.exchange.liveStart('BTCUSDT')).toEqual({ time: wall, price: startPrice });
      expect(sim.exchange.markLive()).toBe(false);
      const bars = (await sim.candles?.('futures', 'BTCUSDT', 'min1', wall - 2 * 3_600_000, wall + 3_600_000)) ?? [];
      expect(bars).toHaveLength(4 + 60 + 55);
      expect(bars.at(-1)?.time).toBe(Date.UTC(2026, 10, 24, 5, 54));
      expect(Number(bars.at(-1)?.close)).toBe(Number(startPrice));
      await expect(sim.candles?.('spot', 'NOPEUSDT', 'min1', wall - 3_600_000, wall)).rejects.toMatchObject({
        code: 'UNKNOWN_SYMBOL',
      });

      sim.exchange.pause();
      await jest.advanceTimersByTimeAsync(1_000);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(s.saves).toEqual(['ok']);
    } finally {
      await sim.stop();
    }
  });
});

describe('sim connector balance announcements', () => {
  it('announces the balances one fill changed together, as one BALANCE_UPDATE with each asset once', async () => {
    const s = scriptedStore();
    const sim = await pausedSim(s.store);
    const changes: Array<{ market: string; eventType: string; details: Record<string, unknown> }> = [];
    await sim.start({
      ...quiet,
      onAccountChange: (market, change) =>
        void changes.push({ market, eventType: change.eventType, details: change.details }),
    });
    try {
      await marketOrder(sim, 'c-1', 'BUY');
      jest.runAllTicks();
      const now = (asset: string) => sim.exchange.balances('main', 'spot').find((b) => b.asset === asset);
      expect(changes).toEqual([
        {
          market: 'spot',
          eventType: 'BALANCE_UPDATE',
          details: {
            balances: ['BTC', 'USDT'].map((asset) => {
              const b = now(asset);
              return { asset, free: b?.free, locked: b?.locked, total: b?.total };
            }),
          },
        },
      ]);
    } finally {
      await sim.stop();
    }
  });
});

describe('sim connector balance announcements to a failing consumer', () => {
  it('reports a consumer that throws and goes on trading', async () => {
    const s = scriptedStore();
    const sim = await pausedSim(s.store);
    await sim.start({
      ...quiet,
      onAccountChange: () => {
        throw new Error('consumer broke');
      },
    });
    try {
      const first = await marketOrder(sim, 'c-1', 'BUY');
      jest.runAllTicks();
      const second = await marketOrder(sim, 'c-2', 'SELL');
      jest.runAllTicks();
      expect([first.order.status, second.order.status]).toEqual(['FILLED', 'FILLED']);
    } finally {
      await sim.stop();
    }
  });
});
