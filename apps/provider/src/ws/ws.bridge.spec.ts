import type { Socket } from 'socket.io-client';
import type { EventEnvelope } from '@barfinex/events';
import type { WsBridge } from './ws.bridge';
import { startTestBridge } from './ws.testing';
import type { TestBridge } from './ws.testing';

const TOKEN = 'ws-test-token';
let t: TestBridge;
let bridge: WsBridge;

beforeAll(async () => {
  t = await startTestBridge(TOKEN, { now: () => 1 });
  bridge = t.bridge;
});
afterAll(() => t.close());

const connect = (): Promise<Socket> => t.connect();

const ask = (socket: Socket, event: string, payload: unknown) =>
  socket.emitWithAck(event, payload) as Promise<{ ok: boolean; subscribed?: unknown; error?: { code: string } }>;

const envelope = (type: 'PROVIDER_ORDER_CREATE' | 'PROVIDER_ORDER_CLOSE', symbol: string, n: number): EventEnvelope =>
  ({
    eventId: `e-${n}`,
    type,
    source: 'PROVIDER',
    timestamp: n,
    version: 1,
    symbol,
    payload: { n },
  }) as unknown as EventEnvelope;

describe('dispatch', () => {
  it('broadcasts only events some socket listens to', async () => {
    const to = jest.spyOn(bridge.io, 'to');
    try {
      bridge.dispatch(envelope('PROVIDER_ORDER_CREATE', 'BTCUSDT', 1));
      expect(to).not.toHaveBeenCalled();
      const socket = await connect();
      await ask(socket, 'subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['BTCUSDT'] });
      const got = new Promise<number>((resolve) =>
        socket.once('PROVIDER_ORDER_CREATE', (env: { payload: { n: number } }) => resolve(env.payload.n)),
      );
      bridge.dispatch(envelope('PROVIDER_ORDER_CREATE', 'ETHUSDT', 2));
      expect(to).not.toHaveBeenCalled();
      bridge.dispatch(envelope('PROVIDER_ORDER_CREATE', 'BTCUSDT', 3));
      expect(to).toHaveBeenCalledTimes(1);
      await expect(got).resolves.toBe(3);
      socket.disconnect();
    } finally {
      to.mockRestore();
    }
  });
});

describe('unsubscribe', () => {
  it('drops every subscription to the named events, the per-symbol ones too, when no symbols are given', async () => {
    const socket = await connect();
    await ask(socket, 'subscribe', {
      events: ['PROVIDER_ORDER_CREATE', 'PROVIDER_ORDER_CLOSE'],
      symbols: ['BTCUSDT', 'ETHUSDT'],
    });
    await ask(socket, 'subscribe', { events: ['PROVIDER_ORDER_CREATE'] });
    const reply = await ask(socket, 'unsubscribe', { events: ['PROVIDER_ORDER_CREATE'] });
    expect(reply).toEqual({
      ok: true,
      subscribed: { all: false, events: [], symbols: { PROVIDER_ORDER_CLOSE: ['BTCUSDT', 'ETHUSDT'] } },
    });

    const seen: number[] = [];
    socket.on('PROVIDER_ORDER_CREATE', (env: { payload: { n: number } }) => seen.push(env.payload.n));
    const closed = new Promise<number>((resolve) =>
      socket.once('PROVIDER_ORDER_CLOSE', (env: { payload: { n: number } }) => resolve(env.payload.n)),
    );
    bridge.dispatch(envelope('PROVIDER_ORDER_CREATE', 'BTCUSDT', 1));
    bridge.dispatch(envelope('PROVIDER_ORDER_CLOSE', 'BTCUSDT', 2));
    // Events reach one client in order: the close arriving proves the create before it was not sent.
    expect(await closed).toBe(2);
    expect(seen).toEqual([]);
  });

  it('keeps the other symbols when only some are named', async () => {
    const socket = await connect();
    await ask(socket, 'subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['BTCUSDT', 'ETHUSDT'] });
    const reply = await ask(socket, 'unsubscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['btcusdt'] });
    expect(reply.subscribed).toEqual({ all: false, events: [], symbols: { PROVIDER_ORDER_CREATE: ['ETHUSDT'] } });
  });
});

describe('bad subscribe input', () => {
  it('answers a subscribe sent with only an acknowledgement callback', async () => {
    const socket = await connect();
    const reply = (await socket.timeout(2_000).emitWithAck('subscribe')) as { ok: boolean; error: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('reports a refused subscribe without a callback as an error event', async () => {
    const socket = await connect();
    const error = new Promise<{ code: string }>((resolve) => socket.once('error', resolve));
    socket.emit('subscribe', { events: ['NOPE'] });
    expect(await error).toMatchObject({ code: 'UNKNOWN_EVENT' });
  });
});

describe('subscription bound', () => {
  it('refuses a subscribe that would take a client past maxSubscriptions, and keeps what it had', async () => {
    const capped = await startTestBridge(TOKEN, { maxSubscriptions: 4 });
    try {
      const socket = await capped.connect();
      expect(
        await ask(socket, 'subscribe', {
          events: ['PROVIDER_ORDER_CREATE', 'PROVIDER_ORDER_CLOSE'],
          symbols: ['BTCUSDT', 'ETHUSDT'],
        }),
      ).toMatchObject({ ok: true });
      // Rooms already held do not count twice.
      expect(await ask(socket, 'subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['btcusdt'] })).toMatchObject(
        { ok: true },
      );
      const refused = await ask(socket, 'subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['SOLUSDT'] });
      expect(refused).toEqual({
        ok: false,
        error: {
          code: 'TOO_MANY_SUBSCRIPTIONS',
          message: expect.stringContaining('at most 4'),
          details: { limit: 4, current: 4, requested: 1 },
        },
      });
      const after = await ask(socket, 'unsubscribe', { events: ['PROVIDER_ORDER_CLOSE'] });
      expect(after.subscribed).toEqual({
        all: false,
        events: [],
        symbols: { PROVIDER_ORDER_CREATE: ['BTCUSDT', 'ETHUSDT'] },
      });
      expect(await ask(socket, 'subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: ['SOLUSDT'] })).toMatchObject(
        { ok: true },
      );
    } finally {
      await capped.close();
    }
  });
});
