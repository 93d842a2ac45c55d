import { quietUntil, releaseAt } from './schedule';

const at = (h: number, m = 0) => Date.UTC(2026, 11, 6, h, m);
const none = { quietFrom: null, quietTo: null, digestMinutes: null };

describe('chat schedule', () => {
  it('quiet hours within a day and across midnight (UTC minutes)', () => {
    const lunch = { ...none, quietFrom: 12 * 60, quietTo: 13 * 60 };
    expect(quietUntil(lunch, at(12, 30))).toBe(at(13));
    expect(quietUntil(lunch, at(13))).toBeUndefined();
    const night = { ...none, quietFrom: 22 * 60, quietTo: 7 * 60 };
    expect(quietUntil(night, at(23))).toBe(Date.UTC(2026, 11, 7, 7));
    expect(quietUntil(night, at(3))).toBe(at(7));
    expect(quietUntil(night, at(7))).toBeUndefined();
    expect(quietUntil(night, at(21, 59))).toBeUndefined();
  });

  it('a digest releases at the next boundary, and quiet hours push that boundary to their end', () => {
    const hourly = { ...none, digestMinutes: 60 };
    expect(releaseAt(hourly, at(9, 10))).toBe(at(10));
    expect(releaseAt(hourly, at(10))).toBe(at(10));
    expect(releaseAt({ ...hourly, quietFrom: 22 * 60, quietTo: 7 * 60 }, at(21, 30))).toBe(Date.UTC(2026, 11, 7, 7));
    expect(releaseAt(none, at(9, 10))).toBe(at(9, 10));
  });
});

describe('chat schedule in the chat time zone', () => {
  const utc = (mo: number, d: number, h: number, m = 0) => Date.UTC(2026, mo - 1, d, h, m);
  const berlinNights = { ...none, quietFrom: 22 * 60, quietTo: 7 * 60, timeZone: 'Europe/Berlin' };

  it('quiet hours follow the local clock in winter and in summer', () => {
    // 22:30 CET (UTC+1) until 07:00 CET; 22:30 CEST (UTC+2) until 07:00 CEST.
    expect(quietUntil(berlinNights, utc(1, 10, 21, 30))).toBe(utc(1, 11, 6));
    expect(quietUntil(berlinNights, utc(7, 10, 20, 30))).toBe(utc(7, 11, 5));
    // 21:30 UTC in summer is 23:30 in Berlin: quiet there, though not by the UTC clock.
    expect(quietUntil(berlinNights, utc(7, 10, 21, 30))).toBe(utc(7, 11, 5));
    expect(quietUntil(berlinNights, utc(7, 10, 19, 59))).toBeUndefined();
  });

  it('a night across the spring-forward and the fall-back change ends at 07:00 local', () => {
    // 29 March 2026, 02:00 CET -> 03:00 CEST: the night is an hour shorter.
    expect(quietUntil(berlinNights, utc(3, 28, 22))).toBe(utc(3, 29, 5));
    // 25 October 2026, 03:00 CEST -> 02:00 CET: an hour longer.
    expect(quietUntil(berlinNights, utc(10, 24, 21))).toBe(utc(10, 25, 6));
  });

  it('an end skipped by the gap is the jump; an end repeated by the overlap is its next occurrence', () => {
    const toHalfPastTwo = { ...none, quietFrom: 60, quietTo: 150, timeZone: 'Europe/Berlin' };
    // 02:30 does not exist on 29 March: quiet ends when the clocks jump (01:00 UTC).
    expect(quietUntil(toHalfPastTwo, utc(3, 29, 0, 30))).toBe(utc(3, 29, 1));
    // 25 October: 02:10 CEST (00:10 UTC) ends at the first 02:30, 02:10 CET (01:10 UTC) at the second.
    const untilHalfPastTwo = { ...toHalfPastTwo, quietFrom: 0 };
    expect(quietUntil(untilHalfPastTwo, utc(10, 25, 0, 10))).toBe(utc(10, 25, 0, 30));
    expect(quietUntil(untilHalfPastTwo, utc(10, 25, 1, 10))).toBe(utc(10, 25, 1, 30));
  });

  it('digest windows start at local midnight, a daily one ends at the next local midnight', () => {
    // Kolkata is UTC+5:30: hourly windows end on the local hour, half past by UTC.
    expect(releaseAt({ ...none, digestMinutes: 60, timeZone: 'Asia/Kolkata' }, utc(12, 6, 9, 10))).toBe(
      utc(12, 6, 9, 30),
    );
    const daily = { ...none, digestMinutes: 1440, timeZone: 'America/New_York' };
    expect(releaseAt(daily, utc(12, 6, 15))).toBe(utc(12, 7, 5));
    // 1 November 2026 has 25 hours in New York: its digest still goes at the next midnight (EST).
    expect(releaseAt(daily, utc(11, 1, 12))).toBe(utc(11, 2, 5));
    // Hourly on that day: 01:30 EDT goes at 01:00 EST, the hour the clocks repeat, not an hour later.
    const hourly = { ...daily, digestMinutes: 60 };
    expect(releaseAt(hourly, utc(11, 1, 5, 30))).toBe(utc(11, 1, 6));
    expect(releaseAt(hourly, utc(11, 1, 6, 30))).toBe(utc(11, 1, 7));
    // 8 March 2026, 02:00 EST -> 03:00 EDT: the 02:00 boundary is the jump itself.
    expect(releaseAt(hourly, utc(3, 8, 6, 30))).toBe(utc(3, 8, 7));
    expect(releaseAt(hourly, utc(3, 8, 7, 30))).toBe(utc(3, 8, 8));
  });

  it('a digest boundary inside local quiet hours moves to their end', () => {
    const s = { ...berlinNights, digestMinutes: 60 };
    expect(releaseAt(s, utc(7, 10, 19, 30))).toBe(utc(7, 11, 5));
    expect(releaseAt(s, utc(7, 10, 18, 10))).toBe(utc(7, 10, 19));
  });
});
