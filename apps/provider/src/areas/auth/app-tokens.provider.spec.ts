import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { startProvider } from '../../testing/harness';

const SECRET = 'inspector-secret-0123456789abcdef';
let db: Database;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await db.close();
});

async function whoami(baseUrl: string, token: string) {
  const res = await fetch(`${baseUrl}/api/auth/whoami`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { tokenId: string; name: string; scopes: string[] } };
}

describe('PROVIDER_APP_TOKENS (compose)', () => {
  it('declares an app token with the app’s least-privilege scopes, kept across restarts', async () => {
    const env = { PROVIDER_APP_TOKENS: `inspector=${SECRET}` };
    const first = await startProvider({ db, bus: createMemoryBus(), env });
    const one = await whoami(first.baseUrl, SECRET);
    await first.stop();
    expect(one).toMatchObject({ status: 200, body: { name: 'app:inspector', scopes: ['read', 'apps', 'trade'] } });
    const second = await startProvider({ db, bus: createMemoryBus(), env });
    try {
      expect((await whoami(second.baseUrl, SECRET)).body.tokenId).toBe(one.body.tokenId);
      const list = (await (
        await fetch(`${second.baseUrl}/api/auth/tokens`, { headers: second.auth })
      ).json()) as Array<{ name: string; revokedAt: number | null }>;
      expect(list.filter((t) => t.name === 'app:inspector' && t.revokedAt === null)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});

describe("the notifier's token", () => {
  it('trips and resets the kill switch through the proxy, and can neither trade nor reconfigure the inspector', async () => {
    const notifier = 'notifier-secret-0123456789abcdef';
    const h = await startProvider({ db, bus: createMemoryBus(), env: { PROVIDER_APP_TOKENS: `notifier=${notifier}` } });
    // A stand-in inspector: what reaches it is what the provider let through.
    const reached: string[] = [];
    const inspector = createServer((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ active: req.url?.endsWith('/kill-switch') ?? false }));
    });
    await new Promise<void>((done) => inspector.listen(0, '127.0.0.1', done));
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${h.baseUrl}/api${path}`, {
        method,
        headers: { Authorization: `Bearer ${notifier}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer = (await res.json()) as { error?: { code: string; details?: { requiredScope?: string } } };
      return { status: res.status, code: answer.error?.code, requiredScope: answer.error?.details?.requiredScope };
    };
    try {
      expect((await whoami(h.baseUrl, notifier)).body).toMatchObject({
        name: 'app:notifier',
        scopes: ['read', 'apps', 'killswitch'],
      });
      const registered = await fetch(`${h.baseUrl}/api/apps/registry/register`, {
        method: 'POST',
        headers: { ...h.auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          appType: 'inspector',
          appKey: 'inspector',
          baseUrl: `http://127.0.0.1:${(inspector.address() as AddressInfo).port}`,
        }),
      });
      expect(registered.status).toBe(201);

      // The Telegram commands' calls reach the inspector.
      expect((await call('POST', '/inspectors/inspector/kill-switch', { reason: 'from telegram' })).status).toBe(200);
      expect((await call('POST', '/inspectors/inspector/kill-switch/reset', {})).status).toBe(200);
      expect(reached).toEqual(['POST /kill-switch', 'POST /kill-switch/reset']);

      // Placing, cancelling and replacing orders, the inspector's own order gate and its policies are refused.
      const forbidden = { status: 403, code: 'FORBIDDEN' };
      const order = {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.01',
        connectorType: 'sim',
        marketType: 'spot',
      };
      expect(await call('POST', '/orders', order)).toEqual({ ...forbidden, requiredScope: 'trade' });
      expect(await call('PUT', '/orders/close', { id: 'any-order' })).toEqual({ ...forbidden, requiredScope: 'trade' });
      expect(await call('PUT', '/orders/any-order', { price: '1' })).toEqual({ ...forbidden, requiredScope: 'trade' });
      expect(await call('PUT', '/accounts/leverage', { symbol: 'BTCUSDT', leverage: 2 })).toMatchObject(forbidden);
      expect(await call('POST', '/inspectors/inspector/risk/check', order)).toEqual({
        ...forbidden,
        requiredScope: 'trade',
      });
      expect(await call('PUT', '/inspectors/inspector/policies', { maxTradesPerDay: 100 })).toEqual({
        ...forbidden,
        requiredScope: 'configure',
      });
      expect(reached).toHaveLength(2);
    } finally {
      await new Promise<void>((done) => inspector.close(() => done()));
      await h.stop();
    }
  });
});
