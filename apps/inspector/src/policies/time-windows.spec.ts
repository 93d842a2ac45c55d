import { NoTradeWindowSchema } from './types';
import { checkNoTradeWindows, inWindow, utcDayStart } from './time-windows';
import { NOON, policies, snapshot } from './spec-helpers';

const at = (h: number, m: number, day = 3) => Date.UTC(2024, 5, day, h, m, 0);

describe('no-trade windows (UTC)', () => {
  const fomc = NoTradeWindowSchema.parse({ start: '12:00', end: '13:00', label: 'FOMC' });

  it('includes the start minute and excludes the end minute', () => {
    expect(inWindow(fomc, at(11, 59) + 59_999)).toBe(false);
    expect(inWindow(fomc, at(12, 0))).toBe(true);
    expect(inWindow(fomc, at(12, 59) + 59_999)).toBe(true);
    expect(inWindow(fomc, at(13, 0))).toBe(false);
  });

  it('wraps midnight and keeps the start weekday', () => {
    const night = NoTradeWindowSchema.parse({ start: '23:30', end: '00:30', days: [1] }); // Monday night
    expect(inWindow(night, at(23, 45, 3))).toBe(true); // Monday 23:45
    expect(inWindow(night, at(0, 15, 4))).toBe(true); // Tuesday 00:15, window began Monday
    expect(inWindow(night, at(0, 15, 3))).toBe(false); // Monday 00:15 belongs to Sunday's window
    expect(inWindow(night, at(0, 30, 4))).toBe(false);
  });

  it('blocks with the window in the reason', () => {
    const check = checkNoTradeWindows(
      snapshot({ now: NOON }),
      policies({ noTradeWindows: [{ start: '12:00', end: '13:00', label: 'FOMC' }] }),
    );
    expect(check).toMatchObject({ passed: false, action: 'BLOCK', current: '720', limit: '720' });
    expect(check.reason).toBe('12:00 UTC is inside the no-trade window 12:00-13:00 (FOMC)');
  });

  it('rejects malformed windows', () => {
    expect(NoTradeWindowSchema.safeParse({ start: '24:00', end: '01:00' }).success).toBe(false);
    expect(NoTradeWindowSchema.safeParse({ start: '10:00', end: '10:00' }).success).toBe(false);
  });

  it('finds 00:00 UTC', () => {
    expect(utcDayStart(NOON)).toBe(Date.UTC(2024, 5, 3));
  });
});
