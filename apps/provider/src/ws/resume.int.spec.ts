// A Socket.IO client (the SDK's) connected across a provider restart on NATS and PostgreSQL:
// orders placed before, and right after the restart while the client is still reconnecting,
// reach it exactly once each.
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

  it('delivers every order event exactly once to a client that stayed connected through the restart', async () => {
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
    // Same port, token, stream and database: the provider comes back where the client expects it.
    provider = await startProviderProcess({
      ...common,
      subjectPrefix: provider.subjectPrefix,
      streamName: provider.streamName,
      port,
    });
    // Placed at once, before the client's reconnect backoff has run out.
    const after = Array.from({ length: 10 }, (_, i) => `after-${run}-${i}`);
    const reconnectedEarly = ws.socket.connected;
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
    if (!reconnectedEarly) expect(resumed.some((r) => r.after !== undefined && r.replayed > 0)).toBe(true);
  });
});
