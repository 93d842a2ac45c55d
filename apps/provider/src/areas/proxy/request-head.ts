// The request head the proxy's llhttp client writes: request line, the headers as given (the proxy
// has filtered them), and chunked framing when a body has no length. Everything that goes on the
// wire is checked here first, so nothing the caller or a registration supplies can break a line.
import { UpstreamError } from './upstream';
import type { UpstreamRequest } from './upstream';

/** A request target undici would refuse too: anything outside visible latin1, spaces included. */
const INVALID_PATH = /[^\u0021-\u00ff]/;
/** A header name must be a token; a value must not break the line (CR, LF, NUL). */
const INVALID_HEADER_NAME = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const INVALID_HEADER_VALUE = /[\r\n\0]/;

/** The request line and headers, or a reason they cannot be sent. */
export function requestHead(req: UpstreamRequest, chunked: boolean): string | UpstreamError {
  if (req.path === '' || INVALID_PATH.test(req.path))
    return new UpstreamError('invalid-request', 'the path has characters that must be percent-encoded');
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  const h = req.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    const value = h[i + 1] as string;
    if (INVALID_HEADER_NAME.test(name) || INVALID_HEADER_VALUE.test(value))
      return new UpstreamError('invalid-request', `header "${name}" cannot be sent as it is`);
    head += `${name}: ${value}\r\n`;
  }
  if (chunked) head += 'transfer-encoding: chunked\r\n';
  return `${head}\r\n`;
}

/** Whether the headers carry a `content-length` (else a body goes out chunked). */
export function hasContentLength(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (name.length === 14 && name.toLowerCase() === 'content-length') return true;
  }
  return false;
}
