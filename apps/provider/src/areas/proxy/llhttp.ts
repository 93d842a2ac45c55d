// Node's own llhttp binding, the parser Node's http client and server use, reached through the
// `_http_common` builtin. `_http_common` is internal: Node 24 deprecates it in the documentation
// (DEP0199), and like the `_tls_*`/`_stream_*` modules before it, it may warn at run time and then
// go. The images run Node 20; on a Node without it (or with another shape), `nativeParserAvailable()`
// says so, PROVIDER_PROXY_CLIENT=auto picks undici, and the spec suite runs the proxy on both clients.

export interface ResponseParser {
  /** Bytes parsed, or an Error (of Node's realm: test with `typeof`, not `instanceof`). */
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  close(): void;
}

/**
 * What the parser calls back, in llhttp's own argument order. `onHeadersComplete` returns 0, or 1
 * to skip the body (HEAD, 304, interim 1xx), or 2 to stop as after an upgrade.
 */
export interface ResponseCallbacks {
  /** Header fields that did not fit one read; the rest arrive with `onHeadersComplete`. */
  onHeaders(headers: string[]): void;
  onHeadersComplete(
    major: number,
    minor: number,
    headers: string[] | undefined,
    method: unknown,
    url: unknown,
    statusCode: number,
    message: unknown,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number;
  /** A copy of the body bytes: safe to keep after the read buffer is reused. */
  onBody(chunk: Buffer): void;
  onMessageComplete(): void;
}

interface Parser extends ResponseParser {
  initialize(type: number, resource: object, maxHeaderSize?: number, lenient?: number): void;
  [callback: number]: unknown;
}
interface ParserClass {
  new (): Parser;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kLenientNone?: number;
}

function loadParser(): ParserClass | undefined {
  try {
    const common = process.getBuiltinModule?.('_http_common') as { HTTPParser?: ParserClass } | undefined;
    const P = common?.HTTPParser;
    if (typeof P !== 'function') return undefined;
    const slots = [P.kOnHeaders, P.kOnHeadersComplete, P.kOnBody, P.kOnMessageComplete, P.RESPONSE];
    if (!slots.every((n) => typeof n === 'number')) return undefined;
    const probe = new P();
    if (
      typeof probe.initialize !== 'function' ||
      typeof probe.execute !== 'function' ||
      typeof probe.finish !== 'function' ||
      typeof probe.close !== 'function'
    )
      return undefined;
    probe.close();
    return P;
  } catch {
    return undefined;
  }
}

const HTTPParser = loadParser();

/** Whether this Node exposes the llhttp binding in the shape this code was written against. */
export const nativeParserAvailable = (): boolean => HTTPParser !== undefined;

/** A strict (no lenient flags) response parser for one connection; only where `nativeParserAvailable()`. */
export function createResponseParser(callbacks: ResponseCallbacks): ResponseParser {
  if (HTTPParser === undefined) throw new Error("this Node has no usable llhttp binding ('_http_common')");
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.RESPONSE, {}, 0, HTTPParser.kLenientNone ?? 0);
  parser[HTTPParser.kOnHeaders] = callbacks.onHeaders;
  parser[HTTPParser.kOnHeadersComplete] = callbacks.onHeadersComplete;
  parser[HTTPParser.kOnBody] = callbacks.onBody;
  parser[HTTPParser.kOnMessageComplete] = callbacks.onMessageComplete;
  return parser;
}
