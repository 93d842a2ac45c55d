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
