import { TIME_FRAME_VALUES, nextTimeFrameStart, parseTimeFrame, timeFrameMs, timeFrameStart } from './time-frame';

const utc = (iso: string): number => Date.parse(iso);

describe('parseTimeFrame', () => {
  it.each([
    ['min1', 'min1'],
    ['M1', 'min1'],
    ['1m', 'min1'],
    ['m1', 'min1'],
    ['MIN1', 'min1'],
    ['min5', 'min5'],
    ['M5', 'min5'],
    ['5m', 'min5'],
    ['min15', 'min15'],
    ['M15', 'min15'],
    ['15m', 'min15'],
    ['min30', 'min30'],
    ['M30', 'min30'],
    ['30m', 'min30'],
    ['h1', 'h1'],
    ['H1', 'h1'],
    ['1h', 'h1'],
    ['1H', 'h1'],
    ['h2', 'h2'],
    ['H2', 'h2'],
    ['2h', 'h2'],
    ['h4', 'h4'],
    ['H4', 'h4'],
    ['4h', 'h4'],
    ['day', 'day'],
    ['D1', 'day'],
    ['1d', 'day'],
    ['1D', 'day'],
    ['week', 'week'],
    ['W1', 'week'],
    ['1w', 'week'],
    ['1W', 'week'],
    ['month', 'month'],
    ['MN1', 'month'],
    ['1M', 'month'],
    [' h4 ', 'h4'],
  ])('%j -> %s', (input, expected) => {
    expect(parseTimeFrame(input)).toBe(expected);
  });

  it.each(['', 'x', '2m', '3h', '5M', '2M', '1y', 'min2', 'h3', '1', 'm', 'minute1', '1 m'])('rejects %j', (input) => {
    expect(parseTimeFrame(input)).toBeUndefined();
  });

  it('round-trips every domain name', () => {
    for (const tf of TIME_FRAME_VALUES) expect(parseTimeFrame(tf)).toBe(tf);
  });
});

describe('timeFrameMs', () => {
  it('gives fixed durations and nothing for month', () => {
    expect(timeFrameMs('min1')).toBe(60_000);
    expect(timeFrameMs('h4')).toBe(4 * 3_600_000);
    expect(timeFrameMs('day')).toBe(86_400_000);
    expect(timeFrameMs('week')).toBe(7 * 86_400_000);
    expect(timeFrameMs('month')).toBeUndefined();
  });
});

describe('timeFrameStart / nextTimeFrameStart', () => {
  it('aligns intraday frames to the UTC grid', () => {
    const t = utc('2024-03-10T13:47:12.345Z');
    expect(timeFrameStart('min1', t)).toBe(utc('2024-03-10T13:47:00Z'));
    expect(timeFrameStart('min15', t)).toBe(utc('2024-03-10T13:45:00Z'));
    expect(timeFrameStart('h4', t)).toBe(utc('2024-03-10T12:00:00Z'));
    expect(nextTimeFrameStart('h4', t)).toBe(utc('2024-03-10T16:00:00Z'));
    expect(timeFrameStart('day', t)).toBe(utc('2024-03-10T00:00:00Z'));
  });

  it('starts weeks on Monday 00:00 UTC, across a year boundary', () => {
    // 2025-01-01 is a Wednesday; its week began on Monday 2024-12-30.
    const t = utc('2025-01-01T08:00:00Z');
    expect(timeFrameStart('week', t)).toBe(utc('2024-12-30T00:00:00Z'));
    expect(nextTimeFrameStart('week', t)).toBe(utc('2025-01-06T00:00:00Z'));
    // A Sunday belongs to the week that started six days earlier.
    expect(timeFrameStart('week', utc('2024-03-10T23:59:59.999Z'))).toBe(utc('2024-03-04T00:00:00Z'));
    // Monday midnight is the start of its own week.
    expect(timeFrameStart('week', utc('2024-03-11T00:00:00Z'))).toBe(utc('2024-03-11T00:00:00Z'));
  });

  it('aligns weeks before the epoch too', () => {
    expect(timeFrameStart('week', utc('1970-01-01T00:00:00Z'))).toBe(utc('1969-12-29T00:00:00Z'));
  });

  it('starts months on the 1st 00:00 UTC, with variable lengths', () => {
    expect(timeFrameStart('month', utc('2024-02-29T23:00:00Z'))).toBe(utc('2024-02-01T00:00:00Z'));
    expect(nextTimeFrameStart('month', utc('2024-02-29T23:00:00Z'))).toBe(utc('2024-03-01T00:00:00Z'));
    expect(nextTimeFrameStart('month', utc('2023-02-10T00:00:00Z'))).toBe(utc('2023-03-01T00:00:00Z'));
    expect(timeFrameStart('month', utc('2024-12-31T23:59:59.999Z'))).toBe(utc('2024-12-01T00:00:00Z'));
    expect(nextTimeFrameStart('month', utc('2024-12-15T00:00:00Z'))).toBe(utc('2025-01-01T00:00:00Z'));
    expect(timeFrameStart('month', utc('2025-01-01T00:00:00Z'))).toBe(utc('2025-01-01T00:00:00Z'));
  });

  it('is idempotent on a bar start for every frame', () => {
    const t = utc('2024-07-17T05:33:00Z');
    for (const tf of TIME_FRAME_VALUES) {
      const start = timeFrameStart(tf, t);
      expect(start).toBeLessThanOrEqual(t);
      expect(timeFrameStart(tf, start)).toBe(start);
      expect(nextTimeFrameStart(tf, t)).toBeGreaterThan(t);
      expect(timeFrameStart(tf, nextTimeFrameStart(tf, t) - 1)).toBe(start);
    }
  });
});
