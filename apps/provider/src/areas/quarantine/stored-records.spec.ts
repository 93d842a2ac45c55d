import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES, createEnvelope } from '@barfinex/events';
import type { EventEnvelope } from '@barfinex/events';
import { eventually } from '@barfinex/testing';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

const T = 1_767_571_200_000n;

async function get(h: Harness, path: string) {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: h.auth });
  return { status: res.status, text: await res.text() };
}

/** Good and broken rows of every table the provider reads back, written straight into the database. */
async function seed(db: Database): Promise<EventEnvelope> {
  const times = { createdAt: T, updatedAt: T };
  await db.prisma.detectorConfig.createMany({
    data: [
      {
        key: 'good-det',
        name: 'Good',
        config: { key: 'good-det', name: 'Good', symbols: [], intervals: [], params: {} },
        ...times,
      },
      { key: 'bad-det', config: { key: 'bad-det', symbols: 'BTCUSDT' }, ...times },
      { key: 'moved-det', config: { key: 'another-key', symbols: [], intervals: [], params: {} }, ...times },
    ],
  });
  await db.prisma.inspectorConfig.createMany({
    data: [
      { sysname: 'good-ins', config: { sysname: 'good-ins', params: {} }, ...times },
      { sysname: 'bad-ins', config: ['not', 'an', 'object'], ...times },
    ],
  });
  const reg = { meta: {}, registeredAt: T, lastHeartbeatAt: T, updatedAt: T };
  await db.prisma.appRegistration.createMany({
    data: [
      { appType: 'advisor', appKey: 'good-adv', baseUrl: 'http://127.0.0.1:8081', ...reg },
      { appType: 'robot', appKey: 'bad-type', baseUrl: 'http://127.0.0.1:9000', ...reg },
      { appType: 'inspector', appKey: 'bad-url', baseUrl: 'not a url', ...reg },
    ],
  });
  const good = createEnvelope('PROVIDER_APP_HEARTBEAT', EVENT_EXAMPLES.PROVIDER_APP_HEARTBEAT, {}, () => Number(T));
  await db.prisma.eventOutbox.createMany({
    data: [
      { eventId: 'bad-json', envelope: '{"type":', createdAt: T },
      { eventId: good.eventId, envelope: JSON.stringify(good), createdAt: T },
      {
        eventId: 'bad-type',
        envelope: JSON.stringify({ ...good, eventId: 'bad-type', type: 'PROVIDER_NO_SUCH_EVENT' }),
        createdAt: T,
      },
    ],
  });
  return good;
}

describe('stored records that fail validation are quarantined at start, the rest is served', () => {
  let db: Database;
  beforeEach(async () => {
    db = await createTestPglite();
  });
  afterEach(async () => {
    await db.close();
  });

  it('configs, registrations and outbox rows: good ones load, bad ones are in quarantined_records, readiness and /metrics say so', async () => {
    const good = await seed(db);
    const bus = createMemoryBus();
    const relayed: string[] = [];
    await bus.subscribeAll((env) => void relayed.push(env.eventId));
    const h = await startProvider({ db, bus });
    try {
      // The relay runs on a timer armed at start.
      await eventually(async () => expect(await db.prisma.eventOutbox.count()).toBe(0));
      const rows = await db.prisma.quarantinedRecord.findMany({ orderBy: [{ source: 'asc' }, { recordKey: 'asc' }] });
      expect(rows.map((r) => [r.app, r.source, r.recordKey])).toEqual([
        ['provider', 'app_registrations', 'inspector/bad-url'],
        ['provider', 'app_registrations', 'robot/bad-type'],
        ['provider', 'detector_configs', 'bad-det'],
        ['provider', 'detector_configs', 'moved-det'],
        ['provider', 'event_outbox', 'bad-json'],
        ['provider', 'event_outbox', 'bad-type'],
        ['provider', 'inspector_configs', 'bad-ins'],
      ]);
      const reason = (key: string) => rows.find((r) => r.recordKey === key)?.reason;
      expect(reason('bad-det')).toContain('symbols');
      expect(reason('moved-det')).toContain('another-key');
      expect(reason('robot/bad-type')).toContain('appType');
      expect(reason('inspector/bad-url')).toContain('baseUrl');
      expect(reason('bad-type')).toContain('PROVIDER_NO_SUCH_EVENT');
      // Kept as stored, so an operator can repair and re-insert it.
      expect(rows.find((r) => r.recordKey === 'bad-json')?.value).toMatchObject({
        eventId: 'bad-json',
        envelope: '{"type":',
      });
      expect(rows.find((r) => r.recordKey === 'bad-det')?.value).toMatchObject({
        key: 'bad-det',
        config: { symbols: 'BTCUSDT' },
        createdAt: String(T),
      });

      // The originals are gone; the good rows are served and the good envelope was relayed.
      expect(await db.prisma.detectorConfig.findMany({ select: { key: true } })).toEqual([{ key: 'good-det' }]);
      expect(await db.prisma.eventOutbox.count()).toBe(0);
      expect(relayed).toContain(good.eventId);
      expect(JSON.parse((await get(h, '/api/detectors')).text).map((d: { key: string }) => d.key)).toEqual([
        'good-det',
      ]);
      expect(JSON.parse((await get(h, '/api/inspectors')).text).map((d: { sysname: string }) => d.sysname)).toEqual([
        'good-ins',
      ]);
      const apps = JSON.parse((await get(h, '/api/apps/registry?includeInactive=true')).text).data;
      expect(apps.map((a: { appKey: string }) => a.appKey)).toEqual(['good-adv']);

      const ready = await get(h, '/health/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text).checks.quarantine).toMatchObject({
        ok: true,
        details: {
          records: 7,
          bySource: [
            { source: 'app_registrations', count: 2 },
            { source: 'detector_configs', count: 2 },
            { source: 'event_outbox', count: 2 },
            { source: 'inspector_configs', count: 1 },
          ],
        },
      });
      const metrics = (await get(h, '/metrics')).text;
      expect(metrics).toMatch(/bfx_quarantined_records\{[^}]*source="event_outbox"[^}]*\} 2/);
      expect(metrics).toMatch(/bfx_quarantined_records\{[^}]*source="detector_configs"[^}]*\} 2/);
      expect(metrics).not.toMatch(/bfx_events_lost_total\{/);
    } finally {
      await h.stop();
    }
  });
});
