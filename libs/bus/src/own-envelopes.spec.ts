import { createEnvelope, EVENT_EXAMPLES } from '@barfinex/events';
import { createOwnEnvelopes } from './own-envelopes';

const fill = (n: number) =>
  createEnvelope(
    'PROVIDER_ORDER_FILL',
    { ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL, orderId: `o-${n}` },
    { eventId: `e${n}` },
  );

describe('own envelopes', () => {
  it('finds what was published by eventId, and forgets the oldest beyond its limit', () => {
    const own = createOwnEnvelopes(3);
    for (const n of [1, 2, 3, 4]) own.remember(fill(n));
    expect(own.size).toBe(3);
    expect(own.get('e1')).toBeUndefined();
    expect(own.get('e4')?.payload).toMatchObject({ orderId: 'o-4' });
  });

  it('keeps a re-sent envelope as the newest', () => {
    const own = createOwnEnvelopes(2);
    own.remember(fill(1));
    own.remember(fill(2));
    own.remember(fill(1));
    own.remember(fill(3));
    expect(own.get('e1')).toBeDefined();
    expect(own.get('e2')).toBeUndefined();
  });
});
