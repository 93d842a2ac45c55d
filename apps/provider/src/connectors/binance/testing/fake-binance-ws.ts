import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

/** The WebSocket half of the fake: combined market streams (`/stream`) and user streams (`/ws/<listenKey>`). */
export function createFakeBinanceWs(server: Server, isListenKey: (key: string) => boolean) {
  const wss = new WebSocketServer({ server });
  const market = new Map<WebSocket, Set<string>>();
  const users = new Set<WebSocket>();
  let connections = 0;
  const subscribeRequests: string[][] = [];

  wss.on('connection', (socket, req) => {
    connections++;
    const url = req.url ?? '';
    if (url.startsWith('/ws/')) {
      if (!isListenKey(url.slice(4))) return socket.close(4001, 'invalid listen key');
      users.add(socket);
      socket.on('close', () => users.delete(socket));
      return;
    }
    const subs = new Set<string>();
    market.set(socket, subs);
    socket.on('close', () => market.delete(socket));
    socket.on('message', (raw: WebSocket.RawData) => {
      const msg = JSON.parse(String(raw)) as { method: string; params: string[]; id: number };
      if (msg.method === 'SUBSCRIBE') {
        subscribeRequests.push(msg.params);
        for (const p of msg.params) subs.add(p);
      } else if (msg.method === 'UNSUBSCRIBE') for (const p of msg.params) subs.delete(p);
      socket.send(JSON.stringify({ result: null, id: msg.id }));
    });
  });

  return {
    /** Sends `data` on `stream` to every connection subscribed to it; returns how many got it. */
    push(stream: string, data: unknown): number {
      let n = 0;
      for (const [socket, subs] of market) {
        if (!subs.has(stream)) continue;
        socket.send(JSON.stringify({ stream, data }));
        n++;
      }
      return n;
    },
    pushUser(event: unknown): number {
      for (const socket of users) socket.send(JSON.stringify(event));
      return users.size;
    },
    subscribed: (stream: string) => [...market.values()].some((s) => s.has(stream)),
    userConnections: () => users.size,
    connections: () => connections,
    subscribeRequests: () => subscribeRequests,
    /** Drops every socket without a close handshake, as a network failure would. */
    dropAll(): void {
      for (const s of [...market.keys(), ...users]) s.terminate();
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of wss.clients) s.terminate();
      wss.close(() => resolve());
    }),
  };
}
