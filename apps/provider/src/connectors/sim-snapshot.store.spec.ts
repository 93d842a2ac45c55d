import { createTestPglite } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import pino from 'pino';
import { createSimConnector } from './sim-connector';
import { storeSuite } from './sim-snapshot.store.fixture';

describe('simulator state store (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });
  storeSuite(() => db.prisma);
});

describe('sim connector start', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('starts a running market at the wall clock, not at the time it was created', async () => {
    let wall = Date.UTC(2026, 0, 5);
    const sim = await createSimConnector({ prisma: db.prisma, seed: 7, symbols: ['BTCUSDT'], tickMs: 3_600_000, autostart: true, logger: pino({ level: 'silent' }), now: () => wall });
    wall += 1_500;
    await sim.start({ onTrade: () => undefined, onOrderBook: () => undefined, onTicker: () => undefined, onOrderUpdate: () => undefined, onFill: () => undefined, onAccountChange: () => undefined });
    try {
      expect(sim.exchange.now()).toBe(wall);
    } finally {
      await sim.stop();
    }
  });
});
