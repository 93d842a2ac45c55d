import { eventually } from '@barfinex/testing';
import { startBinanceVenue } from '../fakes/binance-venue';
import type { BinanceVenue } from '../fakes/binance-venue';
import type { UserStreamState } from './binance-user-stream';
import { createBinanceWsApiUserStream, signWsApiParams } from './binance-ws-api-user-stream';

const KEY = 'ws-api-key-1111';
const SECRET = 'ws-api-secret-2222';

describe('signWsApiParams', () => {
  it('reproduces the HMAC example of web-socket-api.md "SIGNED request example (HMAC)"', () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: 1645423376532,
      apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
    };
    expect(signWsApiParams(params, 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j')).toBe(
      'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24',
    );
  });
});

describe('spot user data over the WebSocket API', () => {
  let venue: BinanceVenue;
  let skew = 0;
  const states: UserStreamState[] = [];
  const connected: boolean[] = [];
  const orders: string[] = [];
  let resyncs = 0;
  let stream: ReturnType<typeof createBinanceWsApiUserStream>;

  beforeAll(async () => {
    venue = await startBinanceVenue({ market: 'spot', apiKey: KEY, apiSecret: SECRET });
    stream = createBinanceWsApiUserStream({
      url: venue.endpoints.userWsUrl,
      credentials: { apiKey: KEY, apiSecret: SECRET },
      venueNow: () => Date.now() + skew,
      recvWindowMs: 5000,
      resyncClock: async () => {
        resyncs++;
        skew = 0;
      },
      proactiveReconnectMs: 3_600_000,
      initialBackoffMs: 20,
      onOrder: (s) => void orders.push(`${s.clientOrderId}:${s.status}`),
      onAccount: () => undefined,
      onConnected: (reconnect) => void connected.push(reconnect),
      onState: (s) => void states.push(s),
      onLog: () => undefined,
    });
    await stream.start();
    await eventually(() => expect(connected).toEqual([false]));
  });
  afterAll(async () => {
    await stream.stop();
    await venue.close();
  });

  it('subscribes with a signature the venue verified and reports the stream open', () => {
    expect(venue.ws.apiRequests().map((r) => r.method)).toEqual(['userDataStream.subscribe.signature']);
    expect(venue.ws.apiRequests()[0]?.params).toMatchObject({
      apiKey: KEY,
      recvWindow: 5000,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(states.at(-1)).toEqual({ open: true });
    expect(stream.connected()).toBe(true);
  });

  it('reads executionReport events', async () => {
    venue.addVenueOrder({
      symbol: 'BTCUSDT',
      clientOrderId: 'ws-1',
      price: '90000',
      origQty: '0.01',
      executedQty: '0',
      cummulativeQuoteQty: '0',
      status: 'NEW',
      timeInForce: 'GTC',
      type: 'LIMIT',
      side: 'BUY',
      stopPrice: '0',
      time: 1,
      updateTime: 1,
    });
    venue.fill('ws-1');
    await eventually(() => expect(orders).toContain('ws-1:FILLED'));
  });

  it('subscribes again when the venue ends the subscription, and reconciles', async () => {
    venue.ws.pushUser({ e: 'eventStreamTerminated', E: Date.now() });
    await eventually(() => expect(connected).toEqual([false, true]));
    expect(venue.ws.userConnections()).toBe(1);
  });

  it('opens a new connection when the venue announces a shutdown, and subscribes there', async () => {
    const opens = stream.opens();
    venue.ws.serverShutdown();
    await eventually(() => expect(stream.opens()).toBe(opens + 1));
    await eventually(() => expect(connected).toHaveLength(3));
    expect(venue.ws.userConnections()).toBe(1);
  });

  it('re-measures the clock after a -1021 and signs again', async () => {
    skew = -120_000;
    venue.ws.dropAll();
    await eventually(() => expect(connected).toHaveLength(4));
    expect(resyncs).toBe(1);
  });

  it('reports why the stream is not open when the venue refuses the subscription', async () => {
    venue.ws.refuseUserData({ code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    venue.ws.dropAll();
    await eventually(() =>
      expect(states.at(-1)).toEqual({
        open: false,
        reason: expect.stringContaining('user-data subscription refused by Binance (-2015'),
      }),
    );
    venue.ws.refuseUserData(undefined);
    await eventually(() => expect(states.at(-1)).toEqual({ open: true }));
  });
});
