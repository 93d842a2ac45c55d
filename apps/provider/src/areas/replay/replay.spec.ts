import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { TEST_TOKEN, startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';
import { REPLAY_EVENT_TYPES } from './replay.service';

interface Envelope {
  type: string;
  symbol?: string;
  replay?: boolean;
  causationId?: string;
  payload: Record<string, unknown>;
}

let db: Database;
let h: Harness;
let client: Socket;
const received: Envelope[] = [];

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { ...h.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const key = (e: Envelope) => ({ type: e.type, symbol: e.symbol, payload: e.payload });
const storedCount = () => h.provider.areas.eventSink.repo.count({ types: REPLAY_EVENT_TYPES });

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus(), env: { EVENTSINK_FLUSH_MS: '20ms' } });
  client = io(h.baseUrl, { path: '/ws', auth: { token: TEST_TOKEN }, transports: ['websocket'] });
  for (const name of [...REPLAY_EVENT_TYPES, 'PROVIDER_REPLAY_PROGRESS'])
    client.on(name, (env: Envelope) => received.push(env));
  const ack = await client
    .timeout(10_000)
    .emitWithAck('subscribe', { events: [...REPLAY_EVENT_TYPES, 'PROVIDER_REPLAY_PROGRESS'] });
  expect(ack.ok).toBe(true);
}, 60_000);
afterAll(async () => {
  client.close();
  await h.stop();
  await db.close();
});

describe('replay of a recorded sim session', () => {
  let live: Envelope[] = [];

  it('records a live session into the event sink', async () => {
    expect((await call('POST', '/api/connectors/sim/step', { ms: 3 * 60_000 })).status).toBe(200);
    await h.provider.marketData.flush();
    await h.provider.areas.eventSink.sink.flush();
    // Everything the client saw live is stored, and nothing else.
    await eventually(async () => {
      live = received.filter((e) => e.type !== 'PROVIDER_REPLAY_PROGRESS');
      expect(live.length).toBeGreaterThan(50);
      expect(await storedCount()).toBe(live.length);
    });
  }, 60_000);

  it('replays at max speed: the client gets the same sequence, marked replay, and the sink stores none of it', async () => {
    received.length = 0;
    const started = await call('POST', '/api/replay/start', { from: 0, to: Date.now() + 60_000, speed: 'max' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ running: true, state: 'running' });
    const done = await eventually(async () => {
      const s = await call('GET', '/api/replay/status');
      expect(s.body['state']).toBe('finished');
      return s.body;
    });
    expect(done).toMatchObject({ running: false, progress: 1, total: live.length, eventsSent: live.length });
    const replayed = await eventually(() => {
      const r = received.filter((e) => e.type !== 'PROVIDER_REPLAY_PROGRESS');
      expect(r.length).toBe(live.length);
      return r;
    });
    expect(replayed.map(key)).toEqual(live.map(key));
    expect(replayed.every((e) => e.replay === true && typeof e.causationId === 'string')).toBe(true);
    await eventually(() =>
      expect(received.some((e) => e.type === 'PROVIDER_REPLAY_PROGRESS' && e.payload['state'] === 'finished')).toBe(
        true,
      ),
    );
    await h.provider.areas.eventSink.sink.flush();
    expect(await storedCount()).toBe(live.length);
  }, 60_000);

  it('refuses a second start with 409 and stops mid-run', async () => {
    // 1/1000 of real time: the run paces on the recorded gaps, so it is still running when stopped.
    const first = await call('POST', '/api/replay/start', { from: 0, to: Date.now() + 60_000, speed: 0.001 });
    expect(first.status).toBe(202);
    const second = await call('POST', '/api/replay/start', { from: 0, to: Date.now(), speed: 'max' });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe('CONFLICT');
    const stopped = await call('POST', '/api/replay/stop');
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ running: false, state: 'stopped' });
    expect(stopped.body['eventsSent'] as number).toBeLessThan(stopped.body['total'] as number);
    expect((await call('GET', '/api/replay/status')).body['state']).toBe('stopped');
  }, 60_000);

  it('validates the request', async () => {
    expect((await call('POST', '/api/replay/start', { from: 10, to: 5 })).status).toBe(400);
    expect((await call('POST', '/api/replay/start', { from: 0, to: 5, speed: -1 })).status).toBe(400);
    expect((await call('POST', '/api/replay/start', { from: 0, to: 5, speed: 'fast' })).status).toBe(400);
  });
});
