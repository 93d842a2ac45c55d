// What a newcomer does after `npm ci`: `npm start`, the README's tour against it, then Ctrl-C.
// Run once on the embedded defaults (PGlite in a fresh data dir, in-memory bus) and once on the
// real NATS and PostgreSQL servers.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { createTestDatabase, deleteNatsStream, describeWithNats, eventually } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { killLaunchedStacks, launchStack } from '@barfinex/testing';

jest.setTimeout(240_000);

// Whatever a failed assertion left running is killed at the end, so no test leaves a stack behind.
afterAll(killLaunchedStacks);

interface Started {
  child: ChildProcess;
  base: string;
  token: string;
  output: () => string;
}

async function npmStart(dataDir: string, extra: Record<string, string>): Promise<Started> {
  const { child, base, output } = await launchStack(['npm', 'start'], { BARFINEX_DATA_DIR: dataDir, ...extra });
  const token = extra['PROVIDER_API_TOKEN'] ?? readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  // A generated token is printed for the newcomer; a configured one is not echoed.
  if (!extra['PROVIDER_API_TOKEN']) expect(output()).toContain(token);
  return { child, base, token, output };
}

/** Ctrl-C to the whole group; resolves with npm's exit code, or its signal when npm itself died of the SIGINT. */
async function ctrlC(s: Started): Promise<number | string | null> {
  const exited = new Promise<number | string | null>((resolve) =>
    s.child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  process.kill(-(s.child.pid as number), 'SIGINT');
  const code = await exited;
  // No orphan: nothing is left in the process group once npm has exited.
  await eventually(
    () => {
      expect(() => process.kill(-(s.child.pid as number), 0)).toThrow();
    },
    30_000,
    100,
  );
  return code;
}

async function tour(s: Started): Promise<void> {
  const auth = { authorization: `Bearer ${s.token}` };
  const json = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${s.base}${path}`, {
      ...init,
      headers: { ...auth, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown> & unknown[]) : undefined };
  };

  const options = await json('/api/options');
  expect(options.status).toBe(200);
  expect(JSON.stringify(options.body)).toContain('"sim"');

  // All four apps registered themselves and answer through the provider's proxy.
  await eventually(
    async () => {
      const apps = await json('/api/apps/registry');
      expect((apps.body as unknown as { count: number }).count).toBe(4);
    },
    30_000,
    200,
  );
  for (const [prefix, key] of [
    ['detectors', 'detector'],
    ['advisors', 'advisor'],
    ['inspectors', 'inspector'],
    ['notifiers', 'notifier'],
  ] as const) {
    expect([prefix, (await json(`/api/${prefix}/${key}/health`)).status]).toEqual([prefix, 200]);
  }

  const ws = io(s.base, { path: '/ws', transports: ['websocket'], auth: { token: s.token } });
  const seen: string[] = [];
  ws.on('PROVIDER_ORDER_CREATE', (env: { payload: { clientOrderId?: string } }) =>
    seen.push(env.payload.clientOrderId ?? ''),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('connect_error', reject);
    ws.once('connect', () =>
      ws.emit('subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['BTCUSDT'] }, () => resolve()),
    );
  });

  const clientOrderId = `tour-${randomBytes(4).toString('hex')}`;
  const order = await json('/api/orders', {
    method: 'POST',
    body: JSON.stringify({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.001',
      clientOrderId,
    }),
  });
  expect([order.status, (order.body as unknown as { status: string }).status]).toEqual([201, 'FILLED']);
  await eventually(() => expect(seen).toContain(clientOrderId), 15_000, 50);
  ws.close();

  // The simulator ticks every 100 ms; closed minute bars need simulated minutes, so read live ones.
  await eventually(
    async () => {
      const candles = await json('/api/candles/sim/spot/BTCUSDT/min1?days=1');
      expect(candles.status).toBe(200);
      expect((candles.body as unknown[]).length).toBeGreaterThan(0);
    },
    30_000,
    250,
  );
}

describe('npm start (embedded defaults)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bfx-stack-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts all four apps, serves the README tour, and stops cleanly on Ctrl-C', async () => {
    const s = await npmStart(dataDir, {});
    try {
      await tour(s);
    } catch (err) {
      process.kill(-(s.child.pid as number), 'SIGKILL');
      throw new Error(
        `${err instanceof Error ? err.message : String(err)}\n--- output ---\n${s.output().slice(-4000)}`,
      );
    }
    expect([0, 'SIGINT']).toContain(await ctrlC(s));
    expect(s.output()).not.toMatch(/stop failed|failed to start|unhandled/i);
  });
});

describeWithNats('npm start on NATS and PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bfx-stack-'));
  const run = randomBytes(4).toString('hex');
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('bfx_stack');
  });
  afterAll(async () => {
    await deleteNatsStream(`BFX_STACK_${run}`);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the same tour with every app on the real servers', async () => {
    const s = await npmStart(dataDir, {
      NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      NATS_SUBJECT_PREFIX: `bfxstack${run}`,
      NATS_STREAM: `BFX_STACK_${run}`,
      DATABASE_URL: db.url,
      PROVIDER_API_TOKEN: `stack-token-${run}`,
    });
    try {
      await tour(s);
    } catch (err) {
      process.kill(-(s.child.pid as number), 'SIGKILL');
      throw new Error(
        `${err instanceof Error ? err.message : String(err)}\n--- output ---\n${s.output().slice(-4000)}`,
      );
    }
    expect([0, 'SIGINT']).toContain(await ctrlC(s));
    expect(s.output()).not.toMatch(/stop failed|failed to start|unhandled/i);
  });
});
