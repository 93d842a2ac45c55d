// The proxy's HTTP/1.1 client to the apps: keep-alive connections per origin, each with its own
// strict llhttp response parser (llhttp.ts). Responses are parsed by llhttp, never by hand; the
// request head is built and checked in request-head.ts. It exists because it is the cheaper hop:
// per proxied call it costs about half of what undici's dispatcher does (tools/bench/proxy.ts).
// Where the binding is missing the proxy uses undici instead (forward.ts).
import net from 'node:net';
import type { LookupFunction } from '@barfinex/service-kit';
import { createResponseParser } from './llhttp';
import type { ResponseParser } from './llhttp';
import { hasContentLength, requestHead } from './request-head';
import { UpstreamError } from './upstream';
import type { UpstreamCall, UpstreamClient, UpstreamHandler, UpstreamRequest } from './upstream';

/** Idle keep-alive connections close after this, or a second before the app's own `Keep-Alive: timeout=`. */
const DEFAULT_IDLE_MS = 4_000;
const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;
/** Stale keep-alive connections are retried once, for calls that are safe to send twice. */
const RETRYABLE = new Set(['GET', 'HEAD', 'OPTIONS']);
const CRLF = '\r\n';
const LAST_CHUNK = '0\r\n\r\n';

function fail(handler: UpstreamHandler, err: UpstreamError): UpstreamCall {
  queueMicrotask(() => handler.onError(err));
  return { abort: () => undefined, resume: () => undefined };
}

/** One call on one connection. */
class NativeCall implements UpstreamCall {
  conn: Connection | undefined;
  /** Response bytes arrived (a retry is no longer possible). */
  answered = false;
  headersSeen = false;
  /** The request, body included, is written: only then may the connection carry another. */
  sent = false;
  keepAlive = false;
  idleMs = DEFAULT_IDLE_MS;
  done = false;
  attempts = 0;

  constructor(
    readonly client: NativeUpstream,
    readonly req: UpstreamRequest,
    readonly head: string,
    readonly chunked: boolean,
    readonly handler: UpstreamHandler,
  ) {}

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.conn?.destroy();
  }

  resume(): void {
    this.conn?.socket.resume();
  }

  /** Ends the call with an error (once); the connection is not reused. */
  error(err: UpstreamError): void {
    if (this.done) return;
    // A kept-alive connection the app closed just before this call: try once on a fresh one.
    if (
      !this.answered &&
      this.conn?.reused === true &&
      this.req.body === null &&
      RETRYABLE.has(this.req.method) &&
      this.attempts === 1 &&
      (err.kind === 'closed' || err.code === 'ECONNRESET' || err.code === 'EPIPE')
    ) {
      this.conn = undefined;
      this.client.start(this, true);
      return;
    }
    this.done = true;
    this.handler.onError(err);
  }

  complete(): void {
    if (this.done) return;
    this.done = true;
    this.handler.onComplete();
  }
}

/** A keep-alive socket to one origin with its own parser. */
class Connection {
  readonly socket: net.Socket;
  readonly parser: ResponseParser;
  call: NativeCall | undefined;
  /** Carried a whole call before (so a failure on it may be a stale keep-alive). */
  reused = false;
  private headers: string[] = [];
  private interim = false;
  private closed = false;

  constructor(
    readonly pool: Connection[],
    private readonly owner: { readonly closing: boolean; readonly lookup: LookupFunction | undefined },
    host: string,
    port: number,
    readBuffer: Buffer,
  ) {
    this.parser = createResponseParser({
      onHeaders: (headers) => void this.headers.push(...headers),
      onHeadersComplete: this.onHeadersComplete,
      onBody: this.onBody,
      onMessageComplete: this.onMessageComplete,
    });
    // Reads land in one buffer shared by every connection: the parser copies what it keeps (body
    // chunks, header strings) before the next read, so no buffer is allocated per read.
    this.socket = net.connect({
      host,
      port,
      noDelay: true,
      onread: { buffer: readBuffer, callback: this.onSocketRead },
      ...(owner.lookup ? { lookup: owner.lookup } : {}),
    });
    this.socket.on('end', this.onSocketEnd);
    this.socket.on('error', this.onSocketError);
    this.socket.on('close', this.onSocketClose);
    this.socket.on('timeout', this.onSocketTimeout);
  }

  start(call: NativeCall): void {
    this.call = call;
    call.conn = this;
    const { req } = call;
    this.socket.ref();
    this.socket.setTimeout(req.timeoutMs);
    if (req.body === null) {
      this.socket.write(call.head, 'latin1');
      call.sent = true;
      return;
    }
    this.socket.write(call.head, 'latin1');
    this.pipeBody(call, req.body);
  }

  private pipeBody(call: NativeCall, body: NonNullable<UpstreamRequest['body']>): void {
    const socket = this.socket;
    let waiting = false;
    const resume = () => {
      if (!waiting) return;
      waiting = false;
      socket.off('drain', resume);
      socket.off('close', resume);
      body.resume();
    };
    const onData = (chunk: Buffer) => {
      // The call ended early (the app answered, or failed): the rest of the body is drained unread.
      // An empty chunk would read as the last one in chunked framing.
      if (call.done || this.call !== call || chunk.length === 0) return;
      let ok: boolean;
      if (call.chunked) {
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        ok = socket.write(CRLF, 'latin1');
        socket.uncork();
      } else ok = socket.write(chunk);
      if (!ok && !waiting) {
        waiting = true;
        body.pause();
        socket.on('drain', resume);
        socket.on('close', resume);
      }
    };
    const onEnd = () => {
      cleanup();
      if (call.done || this.call !== call) return;
      if (call.chunked) socket.write(LAST_CHUNK, 'latin1');
      call.sent = true;
    };
    const onAbort = () => {
      cleanup();
      // The caller's body broke off: the app must not take a truncated body for a whole one.
      if (!call.sent && this.call === call) this.fail(new UpstreamError('closed', "the caller's body broke off"));
    };
    const cleanup = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onAbort);
      body.off('close', onAbort);
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onAbort);
    body.on('close', onAbort);
  }

  /** Ends the current call with `err` and closes the connection. */
  private fail(err: UpstreamError): void {
    const call = this.call;
    this.call = undefined;
    this.destroy();
    call?.error(err);
  }

  private readonly onHeadersComplete = (
    _major: number,
    _minor: number,
    headers: string[] | undefined,
    _method: unknown,
    _url: unknown,
    statusCode: number,
    _message: unknown,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number => {
    const list = headers ?? this.headers;
    this.headers = [];
    const call = this.call;
    if (call === undefined) {
      // An answer after the one that was asked for: the connection is out of step.
      this.destroy();
      return 2;
    }
    // 1xx interim answers (100 Continue, 103 Early Hints) are not passed on; the final one follows.
    this.interim = statusCode >= 100 && statusCode < 200 && statusCode !== 101;
    if (this.interim) return 1;
    if (statusCode < 100) {
      // llhttp reads any three digits; HTTP's status codes start at 100.
      this.fail(new UpstreamError('invalid-response', `the app answered with status ${statusCode}`));
      return 2;
    }
    if (upgrade || statusCode === 101) {
      // The proxy never asks for an upgrade, so an app that switches protocols is answering wrongly.
      this.fail(new UpstreamError('invalid-response', 'the app switched protocols without being asked'));
      return 2;
    }
    call.headersSeen = true;
    call.keepAlive = shouldKeepAlive;
    for (let i = 0; i < list.length; i += 2) {
      const name = list[i] as string;
      if (name.length === 10 && name.toLowerCase() === 'keep-alive') {
        const hint = KEEP_ALIVE_TIMEOUT.exec(list[i + 1] ?? '');
        if (hint) call.idleMs = Math.max(0, Math.min(DEFAULT_IDLE_MS, Number(hint[1]) * 1000 - 1000));
      }
    }
    call.handler.onHeaders(statusCode, list);
    return call.req.method === 'HEAD' || statusCode === 304 ? 1 : 0;
  };

  private readonly onBody = (chunk: Buffer): void => {
    const call = this.call;
    if (call === undefined || call.done) return;
    if (!call.handler.onData(chunk)) this.socket.pause();
  };

  private readonly onMessageComplete = (): void => {
    // Trailers, if any, are not passed on (they would otherwise join the next answer's headers).
    this.headers = [];
    if (this.interim) {
      this.interim = false;
      return;
    }
    const call = this.call;
    if (call === undefined) return;
    this.call = undefined;
    this.reused = true;
    if (call.keepAlive && call.sent && !call.done && call.idleMs > 0 && this.usable && !this.owner.closing) {
      this.socket.setTimeout(call.idleMs);
      // An idle connection never keeps the process alive (as Node's own agent does).
      this.socket.unref();
      this.pool.push(this);
    } else {
      this.destroy();
    }
    call.complete();
  };

  private readonly onSocketRead = (length: number, buffer: Uint8Array): boolean => {
    const call = this.call;
    if (call === undefined) {
      // Bytes nobody asked for: the connection cannot be trusted with another call.
      this.destroy();
      return false;
    }
    call.answered = true;
    let result: number | Error;
    try {
      result = this.parser.execute(
        length === buffer.length ? (buffer as Buffer) : (buffer as Buffer).subarray(0, length),
      );
    } catch (err) {
      // A callback threw inside the parser (the caller's response refused what the app sent): the
      // parser's state is unknown, so the connection goes, and the call ends here if it is still on.
      this.fail(
        new UpstreamError(
          'invalid-response',
          `the app's answer cannot be passed on: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
      return false;
    }
    if (typeof result !== 'number') {
      const code = (result as Error & { code?: string }).code;
      this.fail(
        new UpstreamError('invalid-response', `the app sent a malformed answer${code ? ` (${code})` : ''}`, code),
      );
      return false;
    }
    return true;
  };

  private readonly onSocketEnd = (): void => {
    // A body delimited by the end of the connection completes here (onMessageComplete).
    if (this.call !== undefined) {
      let result: number | Error | undefined;
      try {
        result = this.parser.finish();
      } catch (err) {
        result = err instanceof Error ? err : new Error(String(err));
      }
      if (typeof result === 'object')
        this.fail(
          new UpstreamError(
            'closed',
            'the app closed the connection mid-answer',
            (result as Error & { code?: string }).code,
          ),
        );
    }
    this.fail(new UpstreamError('closed', 'the app closed the connection before answering in full'));
  };

  private readonly onSocketError = (err: Error & { code?: string }): void => {
    this.fail(new UpstreamError(this.call?.headersSeen === true ? 'closed' : 'unreachable', err.message, err.code));
  };

  private readonly onSocketClose = (): void => {
    this.fail(new UpstreamError('closed', 'the app closed the connection before answering in full'));
  };

  private readonly onSocketTimeout = (): void => {
    this.fail(new UpstreamError('timeout', 'the app did not answer in time', 'ETIMEDOUT'));
  };

  /** Marks this connection closed and takes it out of the idle pool. */
  private release(): void {
    if (this.closed) return;
    this.closed = true;
    const at = this.pool.lastIndexOf(this);
    if (at !== -1) this.pool.splice(at, 1);
    // The parser's native side goes once no callback of it is on the stack.
    setImmediate(() => this.parser.close());
  }

  destroy(): void {
    this.release();
    this.socket.destroy();
  }

  get usable(): boolean {
    return !this.closed && !this.socket.destroyed;
  }
}

/** Keep-alive pools per `http:` origin; connections open as needed, with no cap (as undici's Agent). */
export class NativeUpstream implements UpstreamClient {
  readonly kind = 'native';
  private readonly pools = new Map<string, { idle: Connection[]; host: string; port: number }>();
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  private shuttingDown = false;

  /** `lookup`: resolves the apps' host names (the proxy's connection guard); Node's own when omitted. */
  constructor(options: { lookup?: LookupFunction } = {}) {
    this.lookup = options.lookup;
  }

  readonly lookup: LookupFunction | undefined;

  /** Set by `close()`: new calls are refused, and calls still running do not pool their connections. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  request(req: UpstreamRequest, handler: UpstreamHandler): UpstreamCall {
    if (this.shuttingDown) return fail(handler, new UpstreamError('unreachable', 'the proxy is shutting down'));
    const chunked = req.body !== null && !hasContentLength(req.headers);
    const head = requestHead(req, chunked);
    if (typeof head !== 'string') return fail(handler, head);
    const call = new NativeCall(this, req, head, chunked, handler);
    this.start(call, false);
    return call;
  }

  /** Puts `call` on an idle connection to its origin, or on a new one (`fresh`: never an idle one). */
  start(call: NativeCall, fresh: boolean): void {
    call.attempts += 1;
    const pool = this.poolOf(call.req.origin);
    if (pool === undefined) {
      call.error(new UpstreamError('invalid-request', `not an http origin: ${call.req.origin}`));
      return;
    }
    let conn: Connection | undefined;
    while (!fresh && (conn = pool.idle.pop()) !== undefined && !conn.usable);
    if (conn === undefined || !conn.usable)
      conn = new Connection(pool.idle, this, pool.host, pool.port, this.readBuffer);
    conn.start(call);
  }

  private poolOf(origin: string) {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return undefined;
      }
      if (url.protocol !== 'http:') return undefined;
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      pool = { idle: [], host, port: url.port === '' ? 80 : Number(url.port) };
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    this.shuttingDown = true;
    for (const pool of this.pools.values()) for (const conn of [...pool.idle]) conn.destroy();
    this.pools.clear();
  }
}
