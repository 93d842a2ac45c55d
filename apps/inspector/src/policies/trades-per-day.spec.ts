import { policies, snapshot } from './spec-helpers';
import { checkTradesPerDay } from './trades-per-day';

describe('trades per day', () => {
  it('allows the last trade of the day and throttles the next', () => {
    const p = policies({ maxTradesPerDay: 3 });
    expect(checkTradesPerDay(snapshot({ tradesToday: 2 }), p).passed).toBe(true);
    expect(checkTradesPerDay(snapshot({ tradesToday: 3 }), p)).toMatchObject({
      passed: false,
      action: 'THROTTLE',
      current: '3',
      limit: '3',
    });
  });

  it('is off at 0', () => {
    expect(checkTradesPerDay(snapshot({ tradesToday: 1000 }), policies({ maxTradesPerDay: 0 })).passed).toBe(true);
  });
});
