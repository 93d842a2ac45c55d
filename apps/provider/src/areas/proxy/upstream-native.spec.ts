// The proxy's llhttp-based client against scripted apps: raw TCP servers that answer exactly the
// bytes a test gives them, so keep-alive reuse, stale connections, malformed or truncated answers,
// interim 1xx answers, trailers and out-of-step bytes are all exercised for real.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { eventually } from '@barfinex/testing';
import { createRng, seedRngState } from '../../connectors/sim/prng';
import { nativeParserAvailable } from './llhttp';
import { NativeUpstream } from './upstream-native';
import type { UpstreamError, UpstreamRequest } from './upstream';

interface Scripted {
  origin: string;
  /** Connections accepted so far. */
  connections: () => number;
  /** Requests received, as `connection#:request line`. */
  requests: string[];
  /** Connections still open on the app's side. */
  openSockets: () => number;
  close: () => Promise<void>;
}

/**
 * A raw server: `answer(request line, connection index, request index on it, socket)` returns the
 * bytes to send, or undefined to send nothing (the test does something to the socket instead).
 */
function scripted(
  answer: (line: string, conn: number, nth: number, socket: net.Socket) => string | Buffer | undefined,
): Promise<Scripted> {
  let count = 0;
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const conn = count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    let nth = 0;
    socket.on('data', (d: Buffer) => {
      pending += d.toString('latin1');
      // Requests here carry no body: each ends at its blank line.
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const line = pending.slice(0, pending.indexOf('\r\n'));
        pending = pending.slice(end + 4);
        requests.push(`${conn}:${line}`);
        const out = answer(line, conn, nth++, socket);
        if (out !== undefined) socket.write(out);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        connections: () => count,
        requests,
        openSockets: () => sockets.size,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise<void>((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

interface Outcome {
  status?: number;
  headers?: string[];
  body: Buffer;
  error?: UpstreamError;
}

function send(client: NativeUpstream, origin: string, over: Partial<UpstreamRequest> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const out: Outcome = { body: Buffer.alloc(0) };
    client.request(
      { origin, method: 'GET', path: '/x', headers: ['host', 'app'], body: null, timeoutMs: 2_000, ...over },
      {
        onHeaders: (status, headers) => Object.assign(out, { status, headers }),
        onData: (chunk) => chunks.push(chunk) > 0,
        onComplete: () => resolve({ ...out, body: Buffer.concat(chunks) }),
        onError: (error) => resolve({ ...out, body: Buffer.concat(chunks), error }),
      },
    );
  });
}

let client: NativeUpstream;
const servers: Scripted[] = [];
const serve = async (answer: Parameters<typeof scripted>[0]) => {
  const s = await scripted(answer);
  servers.push(s);
  return s;
};

beforeEach(() => {
  client = new NativeUpstream();
});
afterEach(async () => {
  await client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

it('is available on the Node these apps run on', () => {
  expect(nativeParserAvailable()).toBe(true);
});

it('keeps one connection alive across calls and sends the request as given', async () => {
  const app = await serve((line) => ok(`you asked ${line}`));
  for (const path of ['/a', '/b?q=1', '/c']) {
    const res = await send(client, app.origin, { path });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(`you asked GET ${path} HTTP/1.1`);
  }
  expect(app.connections()).toBe(1);
});

it('passes headers as the app sent them, long header blocks included', async () => {
  const long = 'v'.repeat(12_000);
  const app = await serve(() => ok('x', `X-Long: ${long}\r\nX-Dup: 1\r\nX-Dup: 2\r\n`));
  const res = await send(client, app.origin);
  expect(res.headers).toEqual(['content-length', '1', 'X-Long', long, 'X-Dup', '1', 'X-Dup', '2']);
});

it('retries a safe call once when a kept-alive connection turns out closed; never an unsafe one', async () => {
  // The second request on any connection is dropped without an answer, as an app does when its
  // keep-alive timeout fires just as the request arrives.
  const app = await serve((line, _conn, nth, socket) => {
    if (nth === 0) return ok(line);
    socket.destroy();
    return undefined;
  });
  expect((await send(client, app.origin)).status).toBe(200);
  const retried = await send(client, app.origin, { path: '/again' });
  expect(retried.status).toBe(200);
  expect(retried.body.toString()).toBe('GET /again HTTP/1.1');
  expect(app.requests).toEqual(['0:GET /x HTTP/1.1', '0:GET /again HTTP/1.1', '1:GET /again HTTP/1.1']);

  const post = await send(client, app.origin, { method: 'POST', path: '/act' });
  expect(post.error?.kind).toBe('closed');
  expect(app.requests.filter((r) => r.endsWith('POST /act HTTP/1.1'))).toHaveLength(1);
});

it('reports a malformed answer as invalid and drops the connection', async () => {
  const app = await serve((_line, conn) =>
    conn === 0 ? 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nab' : ok('fine'),
  );
  const bad = await send(client, app.origin);
  expect(bad.error?.kind).toBe('invalid-response');
  expect(bad.error?.code).toMatch(/^HPE_/);
  expect((await send(client, app.origin)).body.toString()).toBe('fine');
  expect(app.connections()).toBe(2);
});

it('reports an answer cut short by the app closing the connection', async () => {
  const app = await serve((_line, _conn, _nth, socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part');
    return undefined;
  });
  const res = await send(client, app.origin);
  expect(res.status).toBe(200);
  expect(res.error?.kind).toBe('closed');
});

it('reads a body delimited by the connection closing, and does not reuse that connection', async () => {
  const app = await serve((_line, _conn, _nth, socket) => {
    socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the end');
    return undefined;
  });
  expect((await send(client, app.origin)).body.toString()).toBe('until the end');
  expect((await send(client, app.origin)).body.toString()).toBe('until the end');
  expect(app.connections()).toBe(2);
});

it('de-chunks a chunked answer and keeps its trailers out of the next answer', async () => {
  const app = await serve((_line, _conn, nth) =>
    nth === 0
      ? 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-sum\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nx-sum: 11\r\n\r\n'
      : ok('second', 'x-next: 1\r\n'),
  );
  const first = await send(client, app.origin);
  expect(first.body.toString()).toBe('hello world');
  const second = await send(client, app.origin);
  expect(second.headers).toEqual(['content-length', '6', 'x-next', '1']);
  expect(app.connections()).toBe(1);
});

it('passes on only the final answer after interim 1xx ones', async () => {
  const app = await serve(
    () =>
      `HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n${ok('final', 'x-final: yes\r\n')}`,
  );
  const res = await send(client, app.origin);
  expect(res.status).toBe(200);
  expect(res.headers).toEqual(['content-length', '5', 'x-final', 'yes']);
  expect(res.body.toString()).toBe('final');
});

it('expects no body after HEAD, 204 and 304, and keeps the connection', async () => {
  const app = await serve((line) => {
    if (line.startsWith('HEAD')) return 'HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n';
    if (line.includes('/none')) return 'HTTP/1.1 204 No Content\r\n\r\n';
    return 'HTTP/1.1 304 Not Modified\r\netag: "v1"\r\ncontent-length: 5000\r\n\r\n';
  });
  const head = await send(client, app.origin, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.body.length).toBe(0);
  expect((await send(client, app.origin, { path: '/none' })).status).toBe(204);
  expect((await send(client, app.origin, { path: '/cached' })).status).toBe(304);
  expect(app.connections()).toBe(1);
});

it('drops a connection whose app sends more than was asked for', async () => {
  // Two answers to one request: the second must not be taken for the next call's answer.
  const app = await serve((_line, conn) => (conn === 0 ? ok('one') + ok('forged') : ok('clean')));
  expect((await send(client, app.origin)).body.toString()).toBe('one');
  expect((await send(client, app.origin)).body.toString()).toBe('clean');
  expect(app.connections()).toBe(2);
});

it('reports silence as a timeout and a refused connection as unreachable', async () => {
  const silent = await serve(() => undefined);
  const slow = await send(client, silent.origin, { timeoutMs: 100 });
  expect(slow.error).toMatchObject({ kind: 'timeout' });
  const gone = await serve(() => undefined);
  await gone.close();
  const refused = await send(client, gone.origin);
  expect(refused.error).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED' });
});

it('refuses to send a path or header that would break the request line', async () => {
  const app = await serve(() => ok('never'));
  expect((await send(client, app.origin, { path: '/a b' })).error?.kind).toBe('invalid-request');
  expect((await send(client, app.origin, { path: '/a\r\nx: y' })).error?.kind).toBe('invalid-request');
  expect((await send(client, app.origin, { headers: ['x-a', 'v\r\nx-b: injected'] })).error?.kind).toBe(
    'invalid-request',
  );
  expect((await send(client, app.origin, { headers: ['bad name', 'v'] })).error?.kind).toBe('invalid-request');
  expect(app.requests).toHaveLength(0);
});

it('pauses the answer while the caller cannot take more, and resumes on request', async () => {
  const big = Buffer.alloc(4 * 1024 * 1024, 1);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': big.length });
    res.end(big);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let received = 0;
  let paused = false;
  const done = new Promise<void>((resolve, reject) => {
    const call = client.request(
      { origin, method: 'GET', path: '/big', headers: ['host', 'app'], body: null, timeoutMs: 2_000 },
      {
        onHeaders: () => undefined,
        onData: (chunk) => {
          if (paused) reject(new Error('data arrived while paused'));
          received += chunk.length;
          if (received < big.length && received >= 64 * 1024 && !paused && received < 1024 * 1024) {
            paused = true;
            // Well after the pause, nothing more has arrived; then the caller asks for the rest.
            setTimeout(() => {
              paused = false;
              call.resume();
            }, 50);
            return false;
          }
          return true;
        },
        onComplete: () => resolve(),
        onError: reject,
      },
    );
  });
  await done;
  expect(received).toBe(big.length);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

it('stops at once when aborted: no more callbacks, the connection closed', async () => {
  let serverSide: Promise<void> | undefined;
  const app = await serve((_line, _conn, _nth, socket) => {
    serverSide = new Promise((resolve) => socket.on('close', () => resolve()));
    return undefined;
  });
  const calls: string[] = [];
  const call = client.request(
    { origin: app.origin, method: 'GET', path: '/x', headers: ['host', 'app'], body: null, timeoutMs: 2_000 },
    {
      onHeaders: () => calls.push('headers'),
      onData: () => calls.push('data') > 0,
      onComplete: () => calls.push('complete'),
      onError: () => calls.push('error'),
    },
  );
  while (serverSide === undefined) await new Promise((r) => setImmediate(r));
  call.abort();
  await serverSide;
  await new Promise((r) => setImmediate(r));
  expect(calls).toEqual([]);
});

it('streams a caller body on, and drops a connection the app answered before the body was sent', async () => {
  // The caller side is a real Node server, so the body is the IncomingMessage the proxy streams.
  const app = await serve((_line, _conn, nth) =>
    nth === 0 ? 'HTTP/1.1 413 Payload Too Large\r\ncontent-length: 4\r\n\r\nsize' : undefined,
  );
  const front = http.createServer((req, res) => {
    client.request(
      {
        origin: app.origin,
        method: 'POST',
        path: '/upload',
        headers: ['host', 'app', 'content-length', req.headers['content-length'] ?? '0'],
        body: req,
        timeoutMs: 2_000,
      },
      {
        onHeaders: (status) => res.writeHead(status),
        onData: (chunk) => res.write(chunk),
        onComplete: () => res.end(),
        onError: (err) => res.writeHead(502).end(err.kind),
      },
    );
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  const port = (front.address() as AddressInfo).port;
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-length': 4 * 1024 * 1024 } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => undefined);
    // Only the first part of the promised body is sent before the answer comes back.
    req.write(Buffer.alloc(64 * 1024, 97), (err) => err && reject(err));
  });
  expect(status).toBe(413);
  // The app's connection carried a half-sent body: it is not reused.
  const next = await send(client, app.origin);
  expect(next.error).toBeUndefined();
  expect(app.connections()).toBe(2);
  front.closeAllConnections();
  await new Promise((r) => front.close(r));
});

it('ends the call, not the process, when an answer cannot be passed on', async () => {
  const app = await serve((line) =>
    line.includes('/low') ? 'HTTP/1.1 099 Odd\r\ncontent-length: 0\r\n\r\n' : ok('fine'),
  );
  expect((await send(client, app.origin, { path: '/low' })).error).toMatchObject({ kind: 'invalid-response' });
  // The caller's side throws on the headers (as ServerResponse does on values it refuses).
  const refused = await new Promise<UpstreamError>((resolve, reject) =>
    client.request(
      { origin: app.origin, method: 'GET', path: '/x', headers: ['host', 'app'], body: null, timeoutMs: 2_000 },
      {
        onHeaders: () => {
          throw new TypeError('Invalid character in header content');
        },
        onData: () => true,
        onComplete: () => reject(new Error('completed')),
        onError: resolve,
      },
    ),
  );
  expect(refused).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('Invalid character') });
  expect((await send(client, app.origin)).body.toString()).toBe('fine');
});

it('after close, refuses new calls and closes the connections of calls still running once they finish', async () => {
  let release: (() => void) | undefined;
  let serverClosed: Promise<void> | undefined;
  const app = await serve((_line, _conn, _nth, socket) => {
    serverClosed = new Promise((resolve) => socket.on('close', () => resolve()));
    release = () => socket.write(ok('late'));
    return undefined;
  });
  const running = send(client, app.origin);
  while (release === undefined) await new Promise((r) => setImmediate(r));
  await client.close();
  expect((await send(client, app.origin)).error?.kind).toBe('unreachable');
  release();
  expect((await running).body.toString()).toBe('late');
  // Not kept for reuse: the connection is closed, and the app sees it go.
  await serverClosed;
});

it('under concurrent calls to an app that misbehaves at random (seeded), every call ends once, as it should, and no connection leaks', async () => {
  const rng = createRng(seedRngState(7, 'proxy-chaos'));
  const CALLS = 300;
  // What the app does with request i, drawn up front so client and server agree on it.
  const kinds = ['plain', 'chunked', 'interim', 'close-delimited', 'cut', 'garbage', 'drop', 'late'] as const;
  type Step = { kind: (typeof kinds)[number]; size: number };
  const plan: Step[] = Array.from({ length: CALLS }, () => ({
    kind: kinds[Math.floor(rng.next() * kinds.length)] as Step['kind'],
    size: Math.floor(rng.next() * 200_000),
  }));
  const step = (i: number) => plan[i] as Step;
  const bodyOf = (i: number) => Buffer.alloc(step(i).size, 97 + (i % 26));
  let open = 0;
  const app = await serve((line, _conn, _nth, socket) => {
    const i = Number(/\/r\/(\d+)/.exec(line)?.[1]);
    const { kind } = step(i);
    const body = bodyOf(i);
    switch (kind) {
      case 'plain':
        return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`), body]);
      case 'chunked': {
        const half = body.length >> 1;
        const chunk = (b: Buffer) =>
          b.length
            ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')])
            : Buffer.alloc(0);
        return Buffer.concat([
          Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n'),
          chunk(body.subarray(0, half)),
          chunk(body.subarray(half)),
          Buffer.from('0\r\n\r\n'),
        ]);
      }
      case 'interim':
        return Buffer.concat([
          Buffer.from(`HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`),
          body,
        ]);
      case 'close-delimited':
        socket.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n'), body]));
        return undefined;
      case 'cut':
        socket.end(
          Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length + 10}\r\n\r\n`), body]),
        );
        return undefined;
      case 'garbage':
        return 'HTTP/1.1 2OO OK\r\n\r\n';
      case 'drop':
        socket.destroy();
        return undefined;
      case 'late':
        setImmediate(() =>
          socket.write(
            Buffer.concat([Buffer.from(`HTTP/1.1 201 Created\r\ncontent-length: ${body.length}\r\n\r\n`), body]),
          ),
        );
        return undefined;
    }
  });

  type Ended = { ends: number; outcome?: Outcome };
  const outcomes: Ended[] = plan.map(() => ({ ends: 0 }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < CALLS) {
        const i = next++;
        open += 1;
        await new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const out: Outcome = { body: Buffer.alloc(0) };
          const ended = outcomes[i] as Ended;
          const end = (error?: UpstreamError) => {
            ended.ends += 1;
            ended.outcome = { ...out, body: Buffer.concat(chunks), ...(error ? { error } : {}) };
            open -= 1;
            resolve();
          };
          client.request(
            {
              origin: app.origin,
              method: 'GET',
              path: `/r/${i}`,
              headers: ['host', 'app'],
              body: null,
              timeoutMs: 5_000,
            },
            {
              onHeaders: (status) => Object.assign(out, { status }),
              onData: (c) => chunks.push(c) > 0,
              onComplete: () => end(),
              onError: (e) => end(e),
            },
          );
        });
      }
    }),
  );

  expect(open).toBe(0);
  for (const [i, { kind }] of plan.entries()) {
    const { ends, outcome } = outcomes[i] as Ended;
    const seen = {
      i,
      kind,
      ends,
      status: outcome?.status,
      error: outcome?.error?.kind,
      bodyOk: outcome?.body.equals(bodyOf(i)),
    };
    if (kind === 'cut') expect(seen).toEqual({ i, kind, ends: 1, status: 200, error: 'closed', bodyOk: true });
    else if (kind === 'garbage')
      expect(seen).toMatchObject({ i, kind, ends: 1, status: undefined, error: 'invalid-response' });
    else if (kind === 'drop')
      expect(seen).toMatchObject({
        i,
        kind,
        ends: 1,
        status: undefined,
        error: expect.stringMatching(/^(closed|unreachable)$/),
      });
    else
      expect(seen).toEqual({ i, kind, ends: 1, status: kind === 'late' ? 201 : 200, error: undefined, bodyOk: true });
  }
  // Closing the client closes every idle connection: the app is left with none.
  await client.close();
  await eventually(() => expect(app.openSockets()).toBe(0));
});
