// A Socket.IO client (the SDK's) connected across a provider restart on NATS and PostgreSQL:
// orders placed before, and right after the restart while the client is away, reach it exactly
// once each, the latter through its resume.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connectProviderSocket } from '@barfinex/sdk';
import type { ProviderSocket, ResumeInfo } from '@barfinex/sdk';
import {
  createTestDatabase,
  deleteNatsStream,
  describeWithNats,
  eventually,
  startProviderProcess,
} from '@barfinex/testing';
import type { ProviderProcess, TestDatabase } from '@barfinex/testing';

jest.setTimeout(240_000);

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ORDER_EVENTS = ['PROVIDER_ORDER_CREATE', 'PROVIDER_ORDER_FILL', 'PROVIDER_ORDER_CLOSE'] as const;

describeWithNats('resume across a provider restart (NATS, PostgreSQL)', () => {
  const run = `resume${randomBytes(3).toString('hex')}`;
  let pg: TestDatabase;
  let provider: ProviderProcess | undefined;
  let ws: ProviderSocket | undefined;

  beforeAll(async () => {
    pg = await createTestDatabase('bfx_ws_resume');
  });
  afterAll(async () => {
    ws?.close();
    await provider?.stop();
    await deleteNatsStream(`BFX_${run}`);
    await pg?.drop();
  });

  it('delivers every order event exactly once to a client that was away during the restart, the missed ones by its resume', async () => {
    const common = {
      runId: run,
      natsUrl: NATS_URL,
      databaseUrl: pg.url,
      token: `resume-token-${run}`,
      env: { SIM_SYMBOLS: 'BTCUSDT', SIM_AUTOSTART: 'false', LOG_LEVEL: 'warn' },
    };
    provider = await startProviderProcess(common);
    const port = provider.port;
    const place = async (p: ProviderProcess, clientOrderId: string) => {
      const res = await fetch(`${p.baseUrl}/api/orders`, {
        method: 'POST',
        headers: { ...p.auth, 'content-type': 'application/json' },
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
      expect([clientOrderId, res.status]).toEqual([clientOrderId, 201]);
    };

    const received: Array<{ eventId: string; type: string; clientOrderId: string }> = [];
    const resumed: ResumeInfo[] = [];
    ws = connectProviderSocket({
      baseUrl: provider.baseUrl,
      token: provider.token,
      events: [...ORDER_EVENTS],
      onResumed: (info) => resumed.push(info),
    });
    for (const name of ORDER_EVENTS) {
      ws.on(name, (env) =>
        received.push({
          eventId: env.eventId,
          type: env.type,
          clientOrderId: String((env.payload as { clientOrderId?: unknown }).clientOrderId),
        }),
      );
    }
    await ws.ready();

    const before = Array.from({ length: 5 }, (_, i) => `before-${run}-${i}`);
    for (const id of before) await place(provider, id);
    await eventually(() => expect(new Set(received.map((r) => r.clientOrderId))).toEqual(new Set(before)), 30_000, 50);

    await provider.stop();
    expect(ws.socket.connected).toBe(false);
    // The client stays away until the orders below are stored, so its resume has them to replay:
    // left to its own reconnect backoff it may come back before the first of them is stored (then
    // they reach it live, and the replay path would go untested).
    ws.socket.disconnect();
    // Same port, token, stream and database: the provider comes back where the client expects it.
    provider = await startProviderProcess({
      ...common,
      subjectPrefix: provider.subjectPrefix,
      streamName: provider.streamName,
      port,
    });
    const after = Array.from({ length: 10 }, (_, i) => `after-${run}-${i}`);
    for (const id of after) await place(provider, id);

    // Ground truth: every order event the event sink stored.
    const db = new Client({ connectionString: pg.url });
    await db.connect();
    try {
      const storedIds = async () =>
        (
          await db.query<{ event_id: string }>(
            `SELECT event_id FROM sink_events WHERE type = ANY($1::text[]) ORDER BY id`,
            [[...ORDER_EVENTS]],
          )
        ).rows.map((r) => r.event_id);
      const storedBefore = received.length;
      await eventually(
        async () => expect((await storedIds()).length).toBeGreaterThanOrEqual(storedBefore + after.length * 3),
        30_000,
        50,
      );
      ws.socket.connect();
      await eventually(
        async () => {
          expect(
            new Set(received.filter((r) => r.type === 'PROVIDER_ORDER_CREATE').map((r) => r.clientOrderId)),
          ).toEqual(new Set([...before, ...after]));
          expect(received.map((r) => r.eventId)).toEqual(await storedIds());
        },
        60_000,
        100,
      );
    } finally {
      await db.end();
    }
    const ids = received.map((r) => r.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(resumed.length).toBeGreaterThanOrEqual(2);
    expect(resumed[resumed.length - 1]).toMatchObject({ complete: true });
    // Everything placed while it was away came through the replay.
    expect(resumed.some((r) => r.after !== undefined && r.replayed >= after.length * 3)).toBe(true);
  });
});
