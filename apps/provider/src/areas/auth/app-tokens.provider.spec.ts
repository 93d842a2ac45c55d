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
