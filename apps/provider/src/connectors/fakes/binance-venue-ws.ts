import { createHmac } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { BinanceMarketKind } from './binance-venue-orders';

/**
 * The WebSocket side of the Binance conformance fake.
 *
 * Spot (binance-spot-api-docs, CHANGELOG "Last Updated: 2026-07-17"):
 * - market data on `/stream` (web-socket-streams.md "Live Subscribing/Unsubscribing to streams";
 *   errors as its "Error Messages" table);
 * - user data only through the WebSocket API at `/ws-api/v3` (web-socket-api.md "User Data Stream
 *   requests"): `userDataStream.subscribe.signature` works with any key type and is verified here with
 *   the HMAC secret; `session.logon` (and so `userDataStream.subscribe`) accepts Ed25519 keys only
 *   ("Session Authentication"), which an HMAC key is not. `userDataStream.start/ping/stop` were
 *   retired on 2026-02-20 (CHANGELOG 2026-01-21) and are refused like any unknown method. Events are
 *   sent wrapped as `{ subscriptionId, event }` ("Event format"); `/ws/<listenKey>` is gone.
 *
 * USD-M futures (announcement "USDⓈ-M Futures WebSocket URL architecture", legacy URLs retired
 * 2026-04-23): `/public` carries depth and book tickers, `/market` the other market streams, and
 * `/private/ws?listenKey=<key>&events=<a>/<b>` the user data of a listen key, filtered to the
 * events named (an allow list). The legacy `/ws/<listenKey>` and `/stream` are refused.
 */
export interface VenueWsOptions {
  market: BinanceMarketKind;
  apiKey: string;
  apiSecret: string;
  now: () => number;
  isListenKey: (key: string) => boolean;
}

/** Futures streams served by `/public` (high-frequency book data); the rest belong to `/market`. */
const PUBLIC_STREAM = /@(depth|bookTicker)/;
const WS_API_METHODS = [
  'ping',
  'time',
  'session.logon',
  'session.status',
  'session.logout',
  'session.subscriptions',
  'userDataStream.subscribe',
  'userDataStream.subscribe.signature',
  'userDataStream.unsubscribe',
];

interface ApiRequest {
  id?: string | number | null;
  method?: unknown;
  params?: Record<string, unknown>;
}

export function createVenueWs(server: Server, options: VenueWsOptions) {
  const market = new Map<WebSocket, Set<string>>();
  const apiSessions = new Map<WebSocket, Map<number, string>>();
  const privateSockets = new Map<WebSocket, Set<string>>();
  const subscribeRequests: string[][] = [];
  const apiRequests: Array<{ method: string; params: Record<string, unknown> }> = [];
  let connections = 0;
  let nextSubscription = 0;
  let refuseUserData: { code: number; msg: string } | undefined;

  function routeOf(req: IncomingMessage): 'market' | 'public' | 'api' | 'private' | undefined {
    const path = new URL(req.url ?? '/', 'ws://venue').pathname;
    if (options.market === 'spot') {
      if (path === '/stream' || path === '/ws') return 'market';
      if (path === '/ws-api/v3') return 'api';
      return undefined;
    }
    if (path === '/market/stream' || path === '/market/ws') return 'market';
    if (path === '/public/stream' || path === '/public/ws') return 'public';
    if (path === '/private/ws') return 'private';
    return undefined;
  }

  const wss = new WebSocketServer({
    server,
    // Retired and unknown paths are refused at the handshake, as a removed endpoint is.
    verifyClient: (info, done) => {
      const route = routeOf(info.req);
      if (!route) return done(false, 404, 'Not Found');
      if (route === 'private') {
        const key = new URL(info.req.url ?? '/', 'ws://venue').searchParams.get('listenKey') ?? '';
        if (!options.isListenKey(key)) return done(false, 400, 'invalid listenKey');
        if (refuseUserData) return done(false, 503, refuseUserData.msg);
      }
      done(true);
    },
  });

  /** web-socket-api.md "SIGNED request example (HMAC)": every param but `signature`, sorted by name, as `k=v&...`. */
  function verifySignature(params: Record<string, unknown>): { code: number; msg: string } | undefined {
    if (params['apiKey'] !== options.apiKey)
      return { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
    const payload = Object.keys(params)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${String(params[k])}`)
      .join('&');
    const expected = createHmac('sha256', options.apiSecret).update(payload).digest('hex');
    // "Signatures generated using HMAC are not case-sensitive."
    if (typeof params['signature'] !== 'string' || params['signature'].toLowerCase() !== expected)
      return { code: -1022, msg: 'Signature for this request is not valid.' };
    const ts = Number(params['timestamp']);
    const window = params['recvWindow'] === undefined ? 5000 : Number(params['recvWindow']);
    if (window > 60_000) return { code: -1131, msg: 'recvWindow must be less than 60000' };
    // "Timing security": timestamp < serverTime + 1 s and serverTime - timestamp <= recvWindow.
    if (!(ts < options.now() + 1000 && options.now() - ts <= window))
      return { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
    return undefined;
  }

  function onApiMessage(socket: WebSocket, raw: string): void {
    let req: ApiRequest;
    try {
      req = JSON.parse(raw) as ApiRequest;
    } catch {
      socket.send(JSON.stringify({ id: null, status: 400, error: { code: -1102, msg: 'Malformed request.' } }));
      return;
    }
    const reply = (result: unknown) => socket.send(JSON.stringify({ id: req.id ?? null, status: 200, result }));
    const fail = (status: number, code: number, msg: string) =>
      socket.send(JSON.stringify({ id: req.id ?? null, status, error: { code, msg } }));
    const method = typeof req.method === 'string' ? req.method.replace(/^v3\//, '') : '';
    const params = req.params ?? {};
    apiRequests.push({ method, params });
    const subs = apiSessions.get(socket) ?? new Map<number, string>();
    apiSessions.set(socket, subs);
    if (!WS_API_METHODS.includes(method)) return fail(400, -1020, 'This operation is not supported.');
    switch (method) {
      case 'ping':
        return reply({});
      case 'time':
        return reply({ serverTime: options.now() });
      case 'session.logon':
        // "Session Authentication — Only Ed25519 keys are supported"; this account's key is HMAC.
        return fail(400, -1020, 'This operation is not supported.');
      case 'session.status':
        return reply({
          apiKey: null,
          authorizedSince: null,
          connectedSince: 0,
          returnRateLimits: false,
          serverTime: options.now(),
          userDataStream: subs.size > 0,
        });
      case 'session.logout':
        return reply({
          apiKey: null,
          authorizedSince: null,
          connectedSince: 0,
          returnRateLimits: false,
          serverTime: options.now(),
          userDataStream: subs.size > 0,
        });
      case 'session.subscriptions':
        return reply([...subs.keys()].map((subscriptionId) => ({ subscriptionId })));
      case 'userDataStream.subscribe':
        // "This method requires an authenticated WebSocket connection using Ed25519 keys."
        return fail(401, -1002, 'You are not authorized to execute this request.');
      case 'userDataStream.subscribe.signature': {
        const denied = verifySignature(params);
        if (denied) return fail(400, denied.code, denied.msg);
        if (refuseUserData) return fail(400, refuseUserData.code, refuseUserData.msg);
        // "You can have only one active subscription for a given account on a given connection."
        if ([...subs.values()].includes(options.apiKey)) return fail(400, -1020, 'This operation is not supported.');
        const id = nextSubscription++;
        subs.set(id, options.apiKey);
        return reply({ subscriptionId: id });
      }
      case 'userDataStream.unsubscribe': {
        const only = params['subscriptionId'];
        for (const id of [...subs.keys()]) {
          if (only !== undefined && only !== id) continue;
          subs.delete(id);
          socket.send(JSON.stringify({ subscriptionId: id, event: { e: 'eventStreamTerminated', E: options.now() } }));
        }
        return reply({});
      }
      default:
        return fail(400, -1020, 'This operation is not supported.');
    }
  }

  function onMarketMessage(socket: WebSocket, subs: Set<string>, route: 'market' | 'public', raw: string): void {
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      socket.send(JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }));
      return;
    }
    if (typeof msg.id !== 'number' || msg.id < 0)
      return void socket.send(
        JSON.stringify({ code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }),
      );
    if (msg.method === 'LIST_SUBSCRIPTIONS') return void socket.send(JSON.stringify({ result: [...subs], id: msg.id }));
    if (msg.method !== 'SUBSCRIBE' && msg.method !== 'UNSUBSCRIBE') {
      socket.send(
        JSON.stringify({
          code: 2,
          msg: `Invalid request: unknown variant ${String(msg.method)}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\``,
          id: msg.id,
        }),
      );
      return;
    }
    const params = Array.isArray(msg.params) ? msg.params.map(String) : [];
    // Futures streams must go to the endpoint of their category (the URL architecture announcement).
    const misplaced =
      options.market === 'futures' ? params.filter((p) => PUBLIC_STREAM.test(p) !== (route === 'public')) : [];
    if (misplaced.length > 0)
      return void socket.send(
        JSON.stringify({ code: 2, msg: `Invalid request: ${misplaced.join(',')} not served on /${route}`, id: msg.id }),
      );
    if (msg.method === 'SUBSCRIBE') {
      subscribeRequests.push(params);
      for (const p of params) subs.add(p);
    } else for (const p of params) subs.delete(p);
    socket.send(JSON.stringify({ result: null, id: msg.id }));
  }

  wss.on('connection', (socket, req) => {
    connections++;
    const route = routeOf(req);
    if (route === 'api') {
      apiSessions.set(socket, new Map());
      socket.on('message', (raw: WebSocket.RawData) => onApiMessage(socket, String(raw)));
      socket.on('close', () => apiSessions.delete(socket));
      return;
    }
    if (route === 'private') {
      const q = new URL(req.url ?? '/', 'ws://venue').searchParams;
      privateSockets.set(socket, new Set((q.get('events') ?? '').split('/').filter(Boolean)));
      socket.on('close', () => privateSockets.delete(socket));
      return;
    }
    const subs = new Set<string>();
    market.set(socket, subs);
    socket.on('close', () => market.delete(socket));
    socket.on('message', (raw: WebSocket.RawData) =>
      onMarketMessage(socket, subs, route === 'public' ? 'public' : 'market', String(raw)),
    );
  });

  function userSockets(): Array<[WebSocket, (event: Record<string, unknown>) => string | undefined]> {
    if (options.market === 'spot') {
      return [...apiSessions].flatMap(([socket, subs]) =>
        [...subs]
          .filter(([, key]) => key === options.apiKey)
          .map(
            ([id]) =>
              [socket, (event: Record<string, unknown>) => JSON.stringify({ subscriptionId: id, event })] as [
                WebSocket,
                (event: Record<string, unknown>) => string,
              ],
          ),
      );
    }
    return [...privateSockets].map(([socket, events]) => [
      socket,
      (event: Record<string, unknown>) => (events.has(String(event['e'])) ? JSON.stringify(event) : undefined),
    ]);
  }

  return {
    push(stream: string, data: unknown): number {
      let n = 0;
      for (const [socket, subs] of market) {
        if (!subs.has(stream)) continue;
        socket.send(JSON.stringify({ stream, data }));
        n++;
      }
      return n;
    },
    /** Sends a user-data event to every subscription of the account; returns how many got it. */
    pushUser(event: Record<string, unknown>): number {
      let n = 0;
      for (const [socket, frame] of userSockets()) {
        const text = frame(event);
        if (text === undefined) continue;
        socket.send(text);
        n++;
      }
      return n;
    },
    subscribed: (stream: string) => [...market.values()].some((s) => s.has(stream)),
    userConnections: () => userSockets().length,
    connections: () => connections,
    subscribeRequests: () => subscribeRequests,
    apiRequests: () => apiRequests,
    /** User data refused from now on with this error (spot: subscriptions; futures: private connections); undefined: accepted again. */
    refuseUserData(error: { code: number; msg: string } | undefined): void {
      refuseUserData = error;
    },
    /**
     * "Server Shutdown": the WebSocket API sends `{ event: { e: 'serverShutdown' } }` (web-socket-api.md),
     * combined streams `{ stream: '!serverShutdown', data: { e: 'serverShutdown' } }` (web-socket-streams.md).
     */
    serverShutdown(): void {
      const E = options.now();
      for (const socket of apiSessions.keys()) socket.send(JSON.stringify({ event: { e: 'serverShutdown', E } }));
      for (const socket of market.keys())
        socket.send(JSON.stringify({ stream: '!serverShutdown', data: { e: 'serverShutdown', E } }));
    },
    /** Drops every socket without a close handshake, as a network failure would. */
    dropAll(): void {
      for (const s of wss.clients) s.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of wss.clients) s.terminate();
        wss.close(() => resolve());
      }),
  };
}

export type VenueWs = ReturnType<typeof createVenueWs>;
