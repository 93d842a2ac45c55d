import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { AppType } from '@barfinex/enums';
import { badGateway, badRequest, gatewayTimeout } from '@barfinex/service-kit';
import { downstreamResponseHeaders } from './headers';
import type { RawHeaders } from './headers';

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

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The app's answer streamed to the caller through undici's dispatcher interface: raw header lists
 * in, body chunks straight to the response, backpressure both ways, no intermediate streams.
 * One object per call, no closures.
 */
class ProxyCall implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private callerGone = false;

  constructor(
    private readonly call: ForwardCall,
    private readonly res: ServerResponse,
    private readonly ctx: { timeoutMs: number; fail: (err: unknown) => void },
  ) {
    // A caller that goes away cancels the upstream call rather than leaving it to run out.
    res.once('close', () => {
      if (res.writableFinished) return;
      this.callerGone = true;
      this.abortUpstream?.(new Error('the caller went away'));
    });
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.callerGone) abort(new Error('the caller went away'));
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.resumeUpstream = resume;
    this.res.writeHead(statusCode, downstreamResponseHeaders(rawHeaders, this.call.correlationId));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    // The caller reads slower than the app writes: undici pauses the socket until the response drains.
    this.res.once('drain', () => this.resumeUpstream?.());
    return false;
  }

  onComplete(): void {
    this.res.end();
  }

  onError(err: Error & { code?: string }): void {
    if (this.callerGone) return;
    if (this.res.headersSent) {
      this.res.destroy(err);
      return;
    }
    const { appType, appKey } = this.call;
    const label = `${appType} "${appKey}"`;
    if (err.code !== undefined && TIMEOUTS.has(err.code)) {
      this.ctx.fail(gatewayTimeout(`${label} did not answer within ${this.ctx.timeoutMs} ms`, { appType, appKey }));
    } else if (err.code === 'UND_ERR_INVALID_ARG') {
      // The path or a header cannot be sent as is (e.g. characters that must be percent-encoded).
      this.ctx.fail(badRequest('proxy request refused: characters that must be percent-encoded', { cause: err.message }));
    } else {
      this.ctx.fail(badGateway(`${label} is unreachable${err.code ? ` (${err.code})` : ''}`, { appType, appKey, code: err.code }));
    }
  }
}

/** Sends `call` to the app and streams its answer into `res`; failures before the answer go to `fail`. */
export function forward(dispatcher: Dispatcher, call: ForwardCall, req: IncomingMessage, res: ServerResponse, ctx: { timeoutMs: number; fail: (err: unknown) => void }): void {
  const handler = new ProxyCall(call, res, ctx);
  dispatcher.dispatch(
    {
      origin: call.origin,
      method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
      path: call.path,
      headers: call.headers,
      // Nothing to stream (no length, no chunks): the request ends with its headers.
      body: call.hasBody ? req : null,
      // PROVIDER_PROXY_TIMEOUT_MS is the longest silence from the app, before or during its answer.
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    },
    handler,
  );
}
