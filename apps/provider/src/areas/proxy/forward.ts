import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppType } from '@barfinex/enums';
import {
  ADDRESS_REFUSED,
  badGateway,
  badRequest,
  forbidden,
  gatewayTimeout,
  guardedLookup,
} from '@barfinex/service-kit';
import { downstreamResponseHeaders } from './headers';
import type { RawHeaders } from './headers';
import { UpstreamError } from './upstream';
import type { UpstreamCall, UpstreamClient, UpstreamHandler } from './upstream';
import { nativeParserAvailable } from './llhttp';
import { NativeUpstream } from './upstream-native';
import { createUndiciUpstream } from './upstream-undici';

/** One proxied call, resolved: where it goes and what is sent. */
export interface ForwardCall {
  appType: AppType;
  appKey: string;
  /** `http://host:port` of the app. */
  origin: string;
  /** Path and query as the app receives them. */
  path: string;
  headers: RawHeaders;
  hasBody: boolean;
  /** Sent back in place of the app's echo (undefined: the app's own is kept). */
  correlationId: string | undefined;
}

/** Answers up to this long (by their content-length) are held and sent whole; longer ones stream. */
const HOLD_MAX_BYTES = 64 * 1024;

/**
 * The proxy's upstream client: on Node's llhttp binding where it is reachable, else undici. The
 * llhttp client speaks plain HTTP; apps registered with an `https://` base URL are called through
 * undici in either case. Host names are resolved through the connection guard (no link-local,
 * metadata or unspecified address) unless `allowMetadataAddresses`.
 */
export function createUpstreamClient(options: {
  timeoutMs: number;
  kind?: 'native' | 'undici';
  allowMetadataAddresses?: boolean;
}): UpstreamClient {
  const kind = options.kind ?? (nativeParserAvailable() ? 'native' : 'undici');
  if (kind === 'native' && !nativeParserAvailable())
    throw new Error("this Node has no usable llhttp binding ('_http_common'); use the undici upstream");
  const lookup = options.allowMetadataAddresses ? {} : { lookup: guardedLookup() };
  if (kind === 'undici') return createUndiciUpstream({ connectTimeoutMs: options.timeoutMs, ...lookup });
  const plain = new NativeUpstream(lookup);
  let tls: UpstreamClient | undefined;
  return {
    kind: 'native',
    request: (req, handler) =>
      (req.origin.startsWith('https:')
        ? (tls ??= createUndiciUpstream({ connectTimeoutMs: options.timeoutMs, ...lookup }))
        : plain
      ).request(req, handler),
    async close() {
      await plain.close();
      await tls?.close();
    },
  };
}

/**
 * The app's answer streamed to the caller: raw header lists in, body chunks straight to the
 * response, backpressure both ways, no intermediate streams. One object per call, no closures.
 */
class ProxyCall implements UpstreamHandler {
  upstream: UpstreamCall | undefined;
  private callerGone = false;
  /** A short answer of known length is held until complete and written in one go (one write, one syscall). */
  private held: { statusCode: number; headers: RawHeaders; chunks: Buffer[] } | undefined;
  private draining = false;
  private readonly onDrain = () => {
    this.draining = false;
    this.upstream?.resume();
  };

  constructor(
    private readonly call: ForwardCall,
    private readonly res: ServerResponse,
    private readonly ctx: { timeoutMs: number; fail: (err: unknown) => void },
  ) {
    // A caller that goes away cancels the upstream call rather than leaving it to run out.
    res.once('close', () => {
      if (res.writableFinished) return;
      this.callerGone = true;
      this.upstream?.abort();
    });
  }

  onHeaders(statusCode: number, headers: RawHeaders): void {
    const { headers: out, contentLength } = downstreamResponseHeaders(headers, this.call.correlationId);
    if (contentLength !== undefined && contentLength > 0 && contentLength <= HOLD_MAX_BYTES)
      this.held = { statusCode, headers: out, chunks: [] };
    else this.res.writeHead(statusCode, out);
  }

  onData(chunk: Buffer): boolean {
    if (this.held !== undefined) {
      this.held.chunks.push(chunk);
      return true;
    }
    if (this.res.write(chunk)) return true;
    // The caller reads slower than the app writes: the app's answer pauses until the response drains
    // (chunks already parsed from the same read still arrive; one wait covers them all).
    if (!this.draining) {
      this.draining = true;
      this.res.once('drain', this.onDrain);
    }
    return false;
  }

  onComplete(): void {
    const held = this.held;
    if (held === undefined) {
      this.res.end();
      return;
    }
    this.held = undefined;
    try {
      this.res.writeHead(held.statusCode, held.headers);
    } catch (err) {
      // What the app sent cannot be sent on (Node refuses the status or a header): nothing went out yet.
      this.onError(
        new UpstreamError(
          'invalid-response',
          `the app's answer cannot be passed on: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
      return;
    }
    // No chunks: a HEAD or 304 answer, whose length describes a body that is not sent.
    if (held.chunks.length === 0) this.res.end();
    else this.res.end(held.chunks.length === 1 ? held.chunks[0] : Buffer.concat(held.chunks));
  }

  onError(err: UpstreamError): void {
    if (this.callerGone) return;
    // A held answer that broke off was not started on the caller's side: it gets a clean 502.
    this.held = undefined;
    if (this.res.headersSent) {
      this.res.destroy(err);
      return;
    }
    const { appType, appKey } = this.call;
    const label = `${appType} "${appKey}"`;
    if (err.kind === 'timeout') {
      this.ctx.fail(gatewayTimeout(`${label} did not answer within ${this.ctx.timeoutMs} ms`, { appType, appKey }));
    } else if (err.code === ADDRESS_REFUSED) {
      // The app's host name resolves (now) to an address the proxy must not reach.
      this.ctx.fail(forbidden(`${label}: ${err.message}`, { appType, appKey }));
    } else if (err.kind === 'invalid-request') {
      // The path or a header cannot be sent as is (e.g. characters that must be percent-encoded).
      this.ctx.fail(
        badRequest('proxy request refused: characters that must be percent-encoded', { cause: err.message }),
      );
    } else {
      this.ctx.fail(
        badGateway(
          `${label} ${err.kind === 'invalid-response' ? 'answered with a malformed response' : 'is unreachable'}${err.code ? ` (${err.code})` : ''}`,
          { appType, appKey, code: err.code },
        ),
      );
    }
  }
}

/** Sends `call` to the app and streams its answer into `res`; failures before the answer go to `fail`. */
export function forward(
  upstream: UpstreamClient,
  call: ForwardCall,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { timeoutMs: number; fail: (err: unknown) => void },
): void {
  const handler = new ProxyCall(call, res, ctx);
  handler.upstream = upstream.request(
    {
      origin: call.origin,
      method: req.method ?? 'GET',
      path: call.path,
      headers: call.headers,
      body: call.hasBody ? req : null,
      // PROVIDER_PROXY_TIMEOUT_MS is the longest silence from the app, before or during its answer.
      timeoutMs: ctx.timeoutMs,
    },
    handler,
  );
}
