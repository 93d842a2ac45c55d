// The proxy's client to the apps where Node's llhttp binding is not reachable (upstream-native.ts):
// undici's dispatcher, raw header lists in, body chunks out, backpressure both ways.
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { LookupFunction } from '@barfinex/service-kit';
import { UpstreamError } from './upstream';
import type { UpstreamCall, UpstreamClient, UpstreamHandler, UpstreamRequest } from './upstream';

const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

// Header bytes map one to one onto latin1 characters, so what the app sent is what the caller gets.
const text = (field: string | Buffer | undefined): string =>
  typeof field === 'string' ? field : (field?.toString('latin1') ?? '');

class UndiciCall implements UpstreamCall, Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private aborted = false;

  constructor(private readonly handler: UpstreamHandler) {}

  abort(): void {
    this.aborted = true;
    this.abortUpstream?.(new Error('the caller went away'));
  }

  resume(): void {
    this.resumeUpstream?.();
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.aborted) abort(new Error('the caller went away'));
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.resumeUpstream = resume;
    const headers: string[] = [];
    for (const field of rawHeaders) headers.push(text(field));
    this.handler.onHeaders(statusCode, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.handler.onData(chunk);
  }

  onComplete(): void {
    this.handler.onComplete();
  }

  onError(err: Error & { code?: string }): void {
    if (this.aborted) return;
    const kind =
      err.code !== undefined && TIMEOUTS.has(err.code)
        ? 'timeout'
        : err.code === 'UND_ERR_INVALID_ARG'
          ? 'invalid-request'
          : 'unreachable';
    this.handler.onError(new UpstreamError(kind, err.message, err.code));
  }
}

/**
 * `dispatcher`: undici pools to use (closed by their owner); else an Agent of its own, resolving
 * host names with `lookup` when given (the proxy's connection guard).
 */
export function createUndiciUpstream(options: {
  connectTimeoutMs: number;
  dispatcher?: Dispatcher;
  lookup?: LookupFunction;
}): UpstreamClient {
  const own =
    options.dispatcher === undefined
      ? new Agent({
          connect: { timeout: options.connectTimeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) },
        })
      : undefined;
  const dispatcher = options.dispatcher ?? (own as Agent);
  return {
    kind: 'undici',
    request(req: UpstreamRequest, handler: UpstreamHandler): UpstreamCall {
      const call = new UndiciCall(handler);
      dispatcher.dispatch(
        {
          origin: req.origin,
          method: req.method as Dispatcher.HttpMethod,
          path: req.path,
          headers: req.headers,
          // Nothing to stream (no length, no chunks): the request ends with its headers.
          body: req.body,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        call,
      );
      return call;
    },
    async close() {
      await own?.destroy();
    },
  };
}
