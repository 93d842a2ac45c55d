// A webhook receiver for tests: a real HTTP server that verifies each request's signature, records
// what it got, and can be told to fail or go away for a while.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature } from '@barfinex/service-kit';

export interface Received {
  deliveryId: string;
  event: string;
  attempt: number;
  body: { eventId: string; type: string; payload: unknown };
  signatureOk: boolean;
}

export interface TestReceiver {
  url: string;
  port: number;
  received: Received[];
  /** Answer this status (e.g. 500) instead of 204 until set back to undefined. */
  failWith: number | undefined;
  /** Once this many requests were accepted, answer 503 to the rest until set back to undefined. */
  failAfter: number | undefined;
  /** Stops listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(
  secret: string,
  opts: { now?: () => number; port?: number } = {},
): Promise<TestReceiver> {
  const received: Received[] = [];
  const state: { failWith: number | undefined; failAfter: number | undefined } = {
    failWith: undefined,
    failAfter: undefined,
  };
  const handler: http.RequestListener = (req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const failWith =
        state.failWith ?? (state.failAfter !== undefined && received.length >= state.failAfter ? 503 : undefined);
      if (failWith !== undefined) {
        res.writeHead(failWith).end('receiver trouble');
        return;
      }
      const header = req.headers[SIGNATURE_HEADER];
      const verdict = verifySignature(typeof header === 'string' ? header : undefined, secret, raw, {
        nowMs: (opts.now ?? Date.now)(),
      });
      received.push({
        deliveryId: String(req.headers['x-barfinex-delivery']),
        event: String(req.headers['x-barfinex-event']),
        attempt: Number(req.headers['x-barfinex-attempt']),
        body: JSON.parse(raw) as Received['body'],
        signatureOk: verdict.ok,
      });
      res.writeHead(204).end();
    });
  };
  let server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    get failWith() {
      return state.failWith;
    },
    set failWith(v) {
      state.failWith = v;
    },
    get failAfter() {
      return state.failAfter;
    },
    set failAfter(v) {
      state.failAfter = v;
    },
    down: stop,
    async up() {
      server = http.createServer(handler);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
