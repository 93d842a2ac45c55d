import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { closeServer, createHttpServer } from './server';

/** Sends raw bytes (what no HTTP client library will send) and reads the whole answer. */
function sendRaw(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function parseResponse(raw: string): { status: number; headers: string; body: unknown } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  return { status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(raw.slice(split + 4)) as unknown };
}

describe('createHttpServer', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createHttpServer((_req, res) => void res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => closeServer(server));

  it('answers raw bytes >= 0x80 in the path with the error body instead of a bare 400', async () => {
    const request = Buffer.concat([
      Buffer.from('GET /api/symbols/'),
      Buffer.from([0xc3, 0xa9, 0xff]),
      Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
    ]);
    const res = parseResponse(await sendRaw(port, request));
    expect(res.status).toBe(400);
    expect(res.headers).toMatch(/content-type: application\/json/i);
    expect(res.body).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('percent-encoded'),
        details: { reason: 'HPE_INVALID_URL' },
      },
    });
  });

  it('answers oversized headers with 431 and garbage with 400, both with the error body', async () => {
    const huge = parseResponse(
      await sendRaw(port, Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)),
    );
    expect(huge.status).toBe(431);
    expect(huge.body).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', details: { reason: 'HPE_HEADER_OVERFLOW' } },
    });
    const garbage = parseResponse(await sendRaw(port, Buffer.from('\u0001\u0002 nonsense\r\n\r\n')));
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
  });

  it('still serves well-formed requests', async () => {
    expect(await sendRaw(port, Buffer.from('GET /a%C3%A9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))).toMatch(
      /^HTTP\/1\.1 200 OK[\s\S]*ok$/,
    );
  });
});
