import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

const KEY = 'sim:42';

async function get(h: Harness, path: string) {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: h.auth });
  return { status: res.status, text: await res.text() };
}

/** Starts a provider, plays a minute, then stops it so every part is stored. */
async function seedState(db: Database): Promise<string> {
  const h = await startProvider({ db, bus: createMemoryBus() });
  h.sim.exchange.step(60_000);
  const price = h.sim.lastPrice('spot', 'BTCUSDT') ?? '';
  await h.stop();
  return price;
}

describe('stored state that fails validation is quarantined, not fatal', () => {
  let db: Database;
  beforeEach(async () => {
    db = await createTestPglite();
  });
  afterEach(async () => {
    await db.close();
  });

  it('a broken ticker part is moved aside; the market keeps its prices and starts; readiness and /metrics report it', async () => {
    const price = await seedState(db);
    await db.prisma.$executeRawUnsafe(
      `UPDATE sim_state_parts SET value = jsonb_set(value, '{ticker,buckets,0,highTicks}', '900719925474099200') WHERE exchange_key = $1 AND part = 'market:spot:SOLUSDT'`,
      KEY,
    );
    const h = await startProvider({ db, bus: createMemoryBus() });
    try {
      expect(h.sim.lastPrice('spot', 'BTCUSDT')).toBe(price);
      const rows = await db.prisma.quarantinedRecord.findMany();
      expect(rows).toEqual([
        expect.objectContaining({
          app: 'provider',
          source: 'sim_state_parts',
          recordKey: `${KEY}/market:spot:SOLUSDT`,
          reason: expect.stringContaining('highTicks'),
        }),
      ]);
      expect(JSON.stringify(rows[0]?.value)).toContain('900719925474099200');
      const ready = await get(h, '/health/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text).checks.quarantine).toMatchObject({
        ok: true,
        details: { records: 1, bySource: [{ source: 'sim_state_parts', count: 1 }] },
      });
      expect((await get(h, '/metrics')).text).toMatch(
        /bfx_quarantined_records\{[^}]*source="sim_state_parts"[^}]*\} 1/,
      );
    } finally {
      await h.stop();
    }
    // Stored again from the running engine: the next start finds nothing to refuse.
    const again = await startProvider({ db, bus: createMemoryBus() });
    await again.stop();
    expect(await db.prisma.quarantinedRecord.count()).toBe(1);
  });

  it('a core with a price beyond maxPrice (the 24 h high the issue stored) quarantines the state and starts a fresh market', async () => {
    await seedState(db);
    await db.prisma.$executeRawUnsafe(
      `UPDATE sim_state_parts SET value = jsonb_set(value, '{symbols,2,markets,0,lastPrice}', '"9007199254740992"') WHERE exchange_key = $1 AND part = 'core'`,
      KEY,
    );
    const stored = await db.prisma.simStatePart.count({ where: { exchangeKey: KEY } });
    const h = await startProvider({ db, bus: createMemoryBus() });
    try {
      expect(h.sim.lastPrice('spot', 'SOLUSDT')).toBe('150');
      expect(await db.prisma.quarantinedRecord.count({ where: { source: 'sim_state_parts' } })).toBe(stored);
      const core = await db.prisma.quarantinedRecord.findFirstOrThrow({ where: { recordKey: `${KEY}/core` } });
      expect(core.reason).toContain('lastPrice');
    } finally {
      await h.stop();
    }
  });

  it('a legacy whole snapshot that does not validate is quarantined and the market starts fresh', async () => {
    await db.prisma.keyValue.create({ data: { key: KEY, value: { version: 1, garbage: true }, updatedAt: 1n } });
    const h = await startProvider({ db, bus: createMemoryBus() });
    try {
      expect(await db.prisma.keyValue.findUnique({ where: { key: KEY } })).toBeNull();
      expect(await db.prisma.quarantinedRecord.findMany()).toEqual([
        expect.objectContaining({ source: 'key_values', recordKey: KEY, value: { version: 1, garbage: true } }),
      ]);
    } finally {
      await h.stop();
    }
  });
});
