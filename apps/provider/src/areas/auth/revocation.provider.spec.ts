import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { io } from 'socket.io-client';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

// Two providers on one database and one bus, as in a scaled-out deployment.
let db: Database;
let a: Harness;
let b: Harness;
beforeAll(async () => {
  db = await createTestPglite();
  const bus = createMemoryBus();
  a = await startProvider({ db, bus });
  b = await startProvider({ db, bus });
});
afterAll(async () => {
  await b.stop();
  await a.stop();
  await db.close();
});

const get = async (h: Harness, token: string) =>
  (await fetch(`${h.baseUrl}/api/options`, { headers: { Authorization: `Bearer ${token}` } })).status;

describe('a token revoked on one provider instance', () => {
  it('fails at once on the other one too, and the other one drops its socket', async () => {
    const created = await fetch(`${a.baseUrl}/api/auth/tokens`, {
      method: 'POST',
      headers: { ...a.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shared', scopes: ['read'] }),
    });
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    // Created on A, known to B after one lookup; from then on B answers from its cache.
    expect(await get(b, secret)).toBe(200);
    const socket = io(b.baseUrl, {
      path: '/ws',
      auth: { token: secret },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    expect((await fetch(`${a.baseUrl}/api/auth/tokens/${id}`, { method: 'DELETE', headers: a.auth })).status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect(await get(b, secret)).toBe(401);
    expect(await get(a, secret)).toBe(401);
    socket.close();
  });
});
