import type { IncomingMessage } from 'node:http';
import type { RawHeaders } from './headers';

/** One request to an app, fully resolved by the proxy. */
export interface UpstreamRequest {
  /** `http://host:port` or `https://host:port`. */
  origin: string;
  method: string;
  /** Path and query as the app receives them. */
  path: string;
  /** Headers to send as they are (the proxy has filtered them); framing fields are the client's. */
  headers: RawHeaders;
  /**
   * The caller's body, streamed on: with a `content-length` among `headers` it keeps that length,
   * without one it is sent chunked. Null: no body.
   */
  body: IncomingMessage | null;
  /** Longest silence from the app (connecting, before or during its answer), in ms. */
  timeoutMs: number;
}

/**
 * Why an upstream call failed, as the proxy maps it: `timeout` → 504, `invalid-request` → 400 (the
 * path or a header cannot be sent as it is), everything else → 502. `code` is the system or parser
 * code when there is one (`ECONNREFUSED`, `HPE_INVALID_CONSTANT`).
 */
export type UpstreamFailure = 'timeout' | 'invalid-request' | 'unreachable' | 'invalid-response' | 'closed';

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** What the caller of `UpstreamClient.request` hears; every call ends in exactly one of onComplete/onError. */
export interface UpstreamHandler {
  /** The final status and header list (1xx interim answers are not passed on). */
  onHeaders(statusCode: number, headers: RawHeaders): void;
  /** A body chunk; false pauses the app's answer until `UpstreamCall.resume()`. */
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(err: UpstreamError): void;
}

export interface UpstreamCall {
  /** Cancels the call (the caller went away); no handler method runs afterwards. */
  abort(): void;
  /** Continues an answer paused by `onData` returning false. */
  resume(): void;
}

/** Keep-alive connection pools to the apps. */
export interface UpstreamClient {
  readonly kind: 'native' | 'undici';
  request(req: UpstreamRequest, handler: UpstreamHandler): UpstreamCall;
  close(): Promise<void>;
}
