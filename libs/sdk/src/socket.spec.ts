import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket as ServerSocket } from 'socket.io';
import { connectProviderSocket } from './socket';
import type { ProviderSocket, ResumeInfo } from './socket';

/** A stand-in provider that records every `resume` and `subscribe` and answers like the real one. */
async function fakeProvider() {
  const http = createServer();
  const io = new Server(http, { path: '/ws' });
  const requests: Array<{ verb: string; body: unknown }> = [];
  const sockets: ServerSocket[] = [];
  let resumeReply: unknown = { ok: true, subscribed: [], resumed: { replayed: 0, complete: true } };
  io.on('connection', (socket) => {
    sockets.push(socket);
    for (const verb of ['resume', 'subscribe', 'unsubscribe']) {
      socket.on(verb, (body: unknown, ack: (reply: unknown) => void) => {
        requests.push({ verb, body });
        ack(verb === 'resume' ? resumeReply : { ok: true, subscribed: [] });
      });
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    requests,
    current: () => sockets[sockets.length - 1] as ServerSocket,
    connections: () => sockets.length,
    answerResume: (reply: unknown) => (resumeReply = reply),
    /** The connection drops the way a restart or a network cut drops it (not a deliberate server disconnect). */
    drop: () => sockets[sockets.length - 1]?.conn.close(),
    close: async () => {
      await io.close();
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const order = (eventId: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  type: 'PROVIDER_ORDER_CREATE',
  source: 'PROVIDER',
  timestamp: 1,
  version: 1,
  payload: {},
  ...extra,
});

let provider: Awaited<ReturnType<typeof fakeProvider>>;
let client: ProviderSocket | undefined;
beforeEach(async () => {
  provider = await fakeProvider();
});
afterEach(async () => {
  client?.close();
  await provider.close();
});

describe('connectProviderSocket resume', () => {
  it('resumes after the last event it received on every reconnect, with all its subscriptions', async () => {
    const resumed: ResumeInfo[] = [];
    client = connectProviderSocket({
      baseUrl: provider.url,
      token: 't',
      events: ['PROVIDER_ORDER_CREATE'],
      symbols: ['BTCUSDT'],
      onResumed: (info) => resumed.push(info),
    });
    const seen: string[] = [];
    client.on('PROVIDER_ORDER_CREATE', (env) => seen.push(env.eventId));
    await client.ready();
    provider.current().emit('PROVIDER_ORDER_CREATE', order('e-1'));
    provider.current().emit('PROVIDER_ORDER_CREATE', order('e-2'));
    // A replayed event is not stored, so it is not a place to resume from.
    provider.current().emit('PROVIDER_ORDER_CREATE', order('r-1', { replay: true }));
    await until(() => seen.length === 3);
    expect(client.lastEventId()).toBe('e-2');

    provider.answerResume({ ok: true, subscribed: [], resumed: { replayed: 4, complete: true } });
    provider.drop();
    await until(() => provider.connections() === 2 && resumed.length === 2);
    // Subscribed once the connection is back: sent as a subscribe on it.
    await client.subscribe({ events: ['PROVIDER_ORDER_CLOSE'] });

    expect(provider.requests.filter((r) => r.verb === 'resume').map((r) => r.body)).toEqual([
      { after: null, subscriptions: [{ events: ['PROVIDER_ORDER_CREATE'], symbols: ['BTCUSDT'] }] },
      { after: 'e-2', subscriptions: [{ events: ['PROVIDER_ORDER_CREATE'], symbols: ['BTCUSDT'] }] },
    ]);
    expect(resumed).toEqual([
      { replayed: 0, complete: true },
      { after: 'e-2', replayed: 4, complete: true },
    ]);
    expect(provider.requests.filter((r) => r.verb === 'subscribe').map((r) => r.body)).toEqual([
      { events: ['PROVIDER_ORDER_CLOSE'] },
    ]);
  });

  it('reconnects and resumes after the provider disconnected it on a graceful shutdown', async () => {
    client = connectProviderSocket({ baseUrl: provider.url, token: 't', events: ['PROVIDER_ORDER_CREATE'] });
    await client.ready();
    provider.current().emit('PROVIDER_ORDER_CREATE', order('e-9'));
    await until(() => client?.lastEventId() === 'e-9');
    provider.current().disconnect(true);
    await until(() => provider.requests.length === 2);
    expect(provider.requests[1]).toEqual({
      verb: 'resume',
      body: { after: 'e-9', subscriptions: [{ events: ['PROVIDER_ORDER_CREATE'] }] },
    });
  });

  it('starts from a lastEventId kept across its own restart and resumes with subscribeAll', async () => {
    client = connectProviderSocket({ baseUrl: provider.url, token: 't', subscribeAll: true, lastEventId: 'kept-7' });
    await client.ready();
    expect(provider.requests).toEqual([{ verb: 'resume', body: { after: 'kept-7', subscriptions: [], all: true } }]);
    expect(provider.current().handshake.auth).toEqual({ token: 't' });
  });

  it('a subscription made before the connection is carried by its first resume, not sent again', async () => {
    client = connectProviderSocket({ baseUrl: provider.url, token: 't', events: ['PROVIDER_ORDER_CREATE'] });
    await client.subscribe({ events: ['PROVIDER_ORDER_FILL'], symbols: ['ETHUSDT'] });
    expect(provider.requests).toEqual([
      {
        verb: 'resume',
        body: {
          after: null,
          subscriptions: [
            { events: ['PROVIDER_ORDER_CREATE'] },
            { events: ['PROVIDER_ORDER_FILL'], symbols: ['ETHUSDT'] },
          ],
        },
      },
    ]);
  });

  it('with resume off, subscribes as before and sends no resume', async () => {
    client = connectProviderSocket({
      baseUrl: provider.url,
      token: 't',
      events: ['PROVIDER_ORDER_FILL'],
      resume: false,
    });
    await client.ready();
    provider.drop();
    await until(() => provider.requests.length === 2);
    expect(provider.requests.map((r) => r.verb)).toEqual(['subscribe', 'subscribe']);
  });
});
