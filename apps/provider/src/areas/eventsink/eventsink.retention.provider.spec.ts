// The provider as it ships keeps the event sink bounded: what an earlier run stored ages out,
// market data after a day, every other event after 90 days, from the first round at start.
import { createMemoryBus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import { createTestPglite } from '@barfinex/db/testing';
import { eventually } from '@barfinex/testing';
import { startProvider } from '../../testing/harness';
import { createEventSinkRepository } from './eventsink.repository';
import type { SinkRow } from './eventsink.repository';

const DAY = 86_400_000;

let db: Database;
beforeAll(async () => {
  db = await createTestPglite();
}, 60_000);
afterAll(() => db.close());

function stored(eventId: string, type: string, category: string, ageMs: number): SinkRow {
  return {
    eventId,
    type,
    category,
    action: type.split('_').at(-1)?.toLowerCase() ?? 'event',
    source: 'provider',
    symbol: 'BTCUSDT',
    connectorType: 'sim',
    marketType: 'spot',
    timestamp: Date.now() - ageMs,
    correlationId: null,
    causationId: null,
    replay: false,
    payload: { eventId },
    key: 'provider',
  };
}

describe('event sink retention in the provider', () => {
  it('deletes what an earlier run stored past the default horizons as it starts, and counts it', async () => {
    const repo = createEventSinkRepository(db.prisma);
    await repo.insert([
      stored('old-candle', 'PROVIDER_MARKETDATA_CANDLE', 'marketdata', 2 * DAY),
      stored('new-candle', 'PROVIDER_MARKETDATA_CANDLE', 'marketdata', 0.5 * DAY),
      stored('old-close', 'PROVIDER_ORDER_CLOSE', 'order', 91 * DAY),
      stored('kept-close', 'PROVIDER_ORDER_CLOSE', 'order', 30 * DAY),
    ]);
    const h = await startProvider({ db, bus: createMemoryBus() });
    try {
      const ids = async () => {
        const res = await fetch(`${h.baseUrl}/api/eventsink?limit=100&from=0`, { headers: h.auth });
        const body = (await res.json()) as { data: Array<{ eventId: string }> };
        return body.data
          .map((e) => e.eventId)
          .filter((id) => /candle|close/.test(id))
          .sort();
      };
      await eventually(async () => expect(await ids()).toEqual(['kept-close', 'new-candle']));
      const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/bfx_eventsink_pruned_total\{kind="marketdata",service="provider"\} 1\n/);
      expect(metrics).toMatch(/bfx_eventsink_pruned_total\{kind="other",service="provider"\} 1\n/);
    } finally {
      await h.stop();
    }
  });
});
