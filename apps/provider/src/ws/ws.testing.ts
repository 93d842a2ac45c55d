// Test support: a bridge on its own HTTP server on a free port, and clients of it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createWsBridge } from './ws.bridge';
import type { WsBridge, WsBridgeOptions } from './ws.bridge';

export interface TestBridge {
  bridge: WsBridge;
  url: string;
  /** A connected client of a namespace ('' is the default one); closed by `close()`. */
  connect(namespace?: string, auth?: Record<string, unknown>): Promise<Socket>;
  /** A client that is not yet connected. */
  client(namespace?: string, auth?: Record<string, unknown>): Socket;
  close(): Promise<void>;
}

export async function startTestBridge(
  token: string,
  options: Partial<Omit<WsBridgeOptions, 'httpServer' | 'token'>> = {},
): Promise<TestBridge> {
  const server = createServer();
  const bridge = createWsBridge({ httpServer: server, token, corsOrigins: '*', ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: Socket[] = [];
  const client = (namespace = '', auth: Record<string, unknown> = {}): Socket => {
    const socket = io(`${url}${namespace}`, {
      path: '/ws',
      auth: { token, ...auth },
      transports: ['websocket'],
      forceNew: true,
    });
    clients.push(socket);
    return socket;
  };
  return {
    bridge,
    url,
    client,
    async connect(namespace, auth) {
      const socket = client(namespace, auth);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close() {
      for (const c of clients) c.close();
      await bridge.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
