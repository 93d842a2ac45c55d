import { connect } from 'nats';
import { createTestDatabase, deleteNatsStream, describeWithNats, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess, TestDatabase } from '@barfinex/testing';

// A provider killed at each point of an order's placement, then started again on the same
// PostgreSQL, NATS stream and simulator state: the order ends as the venue has it, its events are
// on the stream exactly once, and a retry with the same clientOrderId answers that truth.

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const POINTS = ['before-insert', 'after-insert', 'after-venue'] as const;

interface StoredEvent {
  type: string;
  eventId: string;
  payload: { clientOrderId?: string; quantity?: string; status?: string };
}

/** Every event the run's JetStream stream holds for one order (the stream keeps what it acknowledged). */
async function streamEvents(stream: string, clientOrderId: string): Promise<StoredEvent[]> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    const { state } = await jsm.streams.info(stream);
    const out: StoredEvent[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
      if (!msg) continue;
      const env = msg.json<StoredEvent>();
      if (env.payload.clientOrderId === clientOrderId) out.push(env);
    }
    return out;
  } finally {
    await nc.close();
  }
}

async function btcBalance(p: ProviderProcess): Promise<string> {
  const account = (await (await fetch(`${p.baseUrl}/api/accounts/sim/spot`, { headers: p.auth })).json()) as {
    assets: Array<{ symbol: string; walletBalance: string }>;
  };
  return account.assets.find((a) => a.symbol === 'BTC')?.walletBalance ?? '0';
}

describeWithNats('an order whose provider is killed mid-placement', () => {
  jest.setTimeout(180_000);

  describe.each(POINTS)('killed %s', (point) => {
    let pg: TestDatabase;
    let first: ProviderProcess | undefined;
    let second: ProviderProcess | undefined;
    const run = `crash${point.replace('-', '')}${Date.now().toString(36)}`;
    const clientOrderId = `crash-${point}-1`;
    const common = {
      runId: run,
      natsUrl: NATS_URL,
      token: 'crash-test-token',
      env: { SIM_SYMBOLS: 'BTCUSDT,ETHUSDT', SIM_SEED: '7', LOG_LEVEL: 'warn' },
    };
    const order = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      connectorType: 'sim',
      marketType: 'spot',
      clientOrderId,
    };

    const post = (p: ProviderProcess) =>
      fetch(`${p.baseUrl}/api/orders`, {
        method: 'POST',
        headers: { ...p.auth, 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });

    beforeAll(async () => {
      pg = await createTestDatabase('order_crash');
      first = await startProviderProcess({
        ...common,
        databaseUrl: pg.url,
        env: { ...common.env, PROVIDER_TEST_CRASH_AT: `${point}:crash-` },
      });
    });
    afterAll(async () => {
      await first?.stop(1000);
      await second?.stop();
      await deleteNatsStream(first?.streamName ?? '');
      await pg.drop();
    });

    it('dies without answering, and the restarted provider holds the venue truth with each event once', async () => {
      const p1 = first as ProviderProcess;
      const btcBefore = await btcBalance(p1);
      // The process kills itself at the crash point: the request never gets an answer.
      await expect(post(p1)).rejects.toThrow();
      await p1.stop(1000);

      const p2 = await startProviderProcess({
        ...common,
        databaseUrl: pg.url,
        subjectPrefix: p1.subjectPrefix,
        streamName: p1.streamName,
      });
      second = p2;
      const stored = await fetch(`${p2.baseUrl}/api/orders/${clientOrderId}`, { headers: p2.auth });
      if (point === 'after-venue') {
        // The simulator filled it and kept its state: reconciliation at start adopted that truth.
        expect(stored.status).toBe(200);
        expect(await stored.json()).toMatchObject({ status: 'FILLED', quantityExecuted: '0.01' });
      } else {
        // The venue never received it: nothing is left of it, and nothing was announced.
        expect(stored.status).toBe(404);
        expect(await streamEvents(p1.streamName, clientOrderId)).toEqual([]);
      }

      // The client retries with the same clientOrderId, as it should after an unanswered request.
      const retry = await post(p2);
      const body = (await retry.json()) as { status: string; quantityExecuted: string };
      expect(body).toMatchObject({ status: 'FILLED', quantityExecuted: '0.01' });
      expect(retry.status).toBe(point === 'after-venue' ? 200 : 201);
      expect(retry.headers.get('idempotent-replayed')).toBe(point === 'after-venue' ? 'true' : null);
      // A second retry is a replay either way.
      expect((await post(p2)).status).toBe(200);

      const events = await streamEvents(p1.streamName, clientOrderId);
      const count = (type: string) => events.filter((e) => e.type === type).length;
      expect(count('PROVIDER_ORDER_CREATE')).toBe(1);
      expect(count('PROVIDER_ORDER_CLOSE')).toBe(1);
      const fills = events.filter((e) => e.type === 'PROVIDER_ORDER_FILL');
      expect(fills.length).toBeGreaterThan(0);
      expect(new Set(fills.map((f) => f.eventId)).size).toBe(fills.length);
      expect(fills.reduce((sum, f) => sum + Number(f.payload.quantity), 0)).toBeCloseTo(0.01, 10);
      // CREATE, then the fills, then CLOSE.
      expect(events[0]?.type).toBe('PROVIDER_ORDER_CREATE');
      expect(events[events.length - 1]?.type).toBe('PROVIDER_ORDER_CLOSE');

      // The venue's books agree with the provider's: one order, and the account holds 0.01 BTC more.
      const list = (await (
        await fetch(`${p2.baseUrl}/api/orders?symbol=BTCUSDT&limit=50`, { headers: p2.auth })
      ).json()) as { data: Array<{ clientOrderId: string }> };
      expect(list.data.filter((o) => o.clientOrderId === clientOrderId)).toHaveLength(1);
      expect(Number(await btcBalance(p2)) - Number(btcBefore)).toBeCloseTo(0.01, 10);
    });
  });
});
