import pino from 'pino';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { createProvider } from '../app';
import type { Provider } from '../app';
import { loadProviderConfig } from '../config';
import { TEST_TOKEN } from '../testing/harness';
import { createSimConnector } from './sim-connector';
import type { SimConnector } from './sim-connector';
import { registerSimRoutes } from './sim.routes';

const auth = { Authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

let db: Database;
let bus: ReturnType<typeof createMemoryBus>;
let sim: SimConnector;
let provider: Provider;
let baseUrl: string;
/** Set by a test to hold the running step after a slice's drain; the step waits on it. */
let onDrain: (() => Promise<void>) | undefined;

beforeAll(async () => {
  db = await createTestPglite();
  bus = createMemoryBus();
  const config = loadProviderConfig({
    PROVIDER_PORT: '1',
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: TEST_TOKEN,
    SIM_AUTOSTART: 'false',
    CANDLE_FLUSH_MS: '50ms',
  });
  const logger = pino({ level: 'silent' });
  sim = await createSimConnector({
    prisma: db.prisma,
    seed: config.SIM_SEED,
    symbols: config.SIM_SYMBOLS,
    tickMs: 60_000,
    autostart: false,
    logger,
    now: () => Date.UTC(2026, 0, 5),
  });
  provider = createProvider({
    config: { ...config, PROVIDER_PORT: 0 },
    logger,
    db,
    bus,
    connectors: [sim],
    extraRoutes: (t, ctx) =>
      registerSimRoutes(t, {
        sim,
        drain: async () => {
          await ctx.drain();
          await onDrain?.();
        },
      }),
  });
  const { port } = await provider.start();
  baseUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await provider.stop();
  await db.close();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${baseUrl}/api/connectors/sim/${path}`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      time: number;
      error?: { code: string; message: string; details?: Record<string, unknown> };
    },
  };
}

describe('sim control routes cannot exhaust or freeze the provider', () => {
  it('refuses a step longer than a day with 400 and the error body', async () => {
    const res = await post('step', { ms: 2_147_483_641 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('answers /health while a step runs, and never has more than a slice of events outstanding', async () => {
    const order: string[] = [];
    let perDrain = 0;
    let lastPublished = bus.status().published;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let sliceSeen!: () => void;
    const firstSlice = new Promise<void>((resolve) => (sliceSeen = resolve));
    onDrain = async () => {
      const published = bus.status().published;
      perDrain = Math.max(perDrain, published - lastPublished);
      lastPublished = published;
      order.push('slice');
      sliceSeen();
      // The step cannot go on until /health was answered: a step that held the event loop
      // (one synchronous replay) would never get here before finishing, and this would hang.
      await released;
    };
    const start = sim.exchange.now();
    const step = post('step', { ms: 10 * 60_000 }).then((r) => {
      order.push('step');
      return r;
    });
    await firstSlice;
    const health = await fetch(`${baseUrl}/health`);
    order.push(`health ${health.status}`);
    release();
    const res = await step;
    onDrain = undefined;
    expect(res.status).toBe(200);
    expect(res.body.time).toBe(start + 600_000);
    expect(order.slice(0, 2)).toEqual(['slice', 'health 200']);
    expect(order.at(-1)).toBe('step');
    const slices = order.filter((o) => o === 'slice').length;
    expect(slices).toBeGreaterThan(20);
    // 32 ticks of a symbol per slice: at most 3 trades on each of 2 markets per tick, plus one
    // book and ticker per market and the candles flushed meanwhile.
    expect(perDrain).toBeLessThan(600);
  });

  it('runs steps one after another, each advancing by its own ms', async () => {
    const start = sim.exchange.now();
    const [a, b] = await Promise.all([post('step', { ms: 30_000 }), post('step', { ms: 45_000 })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(sim.exchange.now()).toBe(start + 75_000);
  });

  it('refuses a price outside the instrument filters with 400 naming the field, and keeps the price', async () => {
    const before = sim.lastPrice('spot', 'SOLUSDT');
    const res = await post('price', { symbol: 'SOLUSDT', price: '9007199254740992' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', details: { reason: 'PRICE_FILTER', field: 'price' } });
    const path = await post('path', { symbol: 'SOLUSDT', prices: ['150', '150.001'] });
    expect(path.status).toBe(400);
    expect(path.body.error?.details).toMatchObject({ reason: 'PRICE_FILTER', field: 'prices[1]' });
    expect(sim.lastPrice('spot', 'SOLUSDT')).toBe(before);
    expect((await post('price', { symbol: 'SOLUSDT', price: '100000' })).status).toBe(200);
  });
});
