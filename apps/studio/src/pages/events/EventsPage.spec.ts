import { prependRows } from './EventsPage';
import type { Row } from './EventsPage';

const row = (id: number): Row => ({
  eventId: `e${id}`,
  type: 'PROVIDER_ORDER_CREATE',
  category: 'order',
  timestamp: id,
  summary: '',
  payload: null,
});

describe('the event log buffer', () => {
  it('puts live rows on top, once each, and never grows past its cap', () => {
    const stored = Array.from({ length: 5 }, (_, i) => row(i));
    const rows = prependRows(stored, [row(9), row(3)], 6);
    expect(rows.map((r) => r.eventId)).toEqual(['e9', 'e3', 'e0', 'e1', 'e2', 'e4']);
  });
});
