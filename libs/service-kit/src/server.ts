import type { Server } from 'node:http';

/** Closes an HTTP server now: idle keep-alive sockets are dropped instead of holding the close open. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
