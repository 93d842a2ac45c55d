import { STATUS_CODES, createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@barfinex/contracts';
import { errorBody } from './errors/error-body';

/** Closes an HTTP server now: idle keep-alive sockets are dropped instead of holding the close open. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

interface ClientErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
}

// Node's parser codes (llhttp `HPE_*` and Node's own) for requests refused before any handler runs.
const CLIENT_ERRORS: Readonly<Record<string, ClientErrorAnswer>> = {
  HPE_INVALID_URL: {
    status: 400,
    code: 'BAD_REQUEST',
    message:
      'the request target has characters that must be percent-encoded (control characters, spaces or bytes >= 0x80)',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'request headers (or the request line) are too large',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'chunk extensions are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'BAD_REQUEST', message: 'the request was not received in time' },
};

/** The raw HTTP/1.1 response for a request Node refused while parsing it, with the usual error body. */
export function clientErrorResponse(err: { code?: string | undefined }): string {
  const reason = err.code ?? 'UNKNOWN';
  const answer = CLIENT_ERRORS[reason] ?? { status: 400, code: 'BAD_REQUEST', message: 'malformed HTTP request' };
  const body = JSON.stringify(errorBody(answer.code, answer.message, { reason }));
  return [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Bad Request'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Answers requests that Node's HTTP parser refuses (raw bytes >= 0x80 or control characters in
 * the path, oversized headers, garbage) with the error body every other refusal carries, instead
 * of Node's bare 400 with no body. Nothing is written when a response on that connection has
 * already begun, as Node itself does.
 */
export function answerClientErrors(server: Server): Server {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err));
  });
  return server;
}

/** `http.createServer` with `answerClientErrors` installed: how every app makes its server. */
export function createHttpServer(listener: RequestListener): Server {
  return answerClientErrors(createServer(listener));
}
