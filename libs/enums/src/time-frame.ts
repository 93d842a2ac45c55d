/** Candle intervals, shortest first. */
export const TimeFrame = {
  min1: 'min1',
  min5: 'min5',
  min15: 'min15',
  min30: 'min30',
  h1: 'h1',
  h2: 'h2',
  h4: 'h4',
  day: 'day',
  week: 'week',
  month: 'month',
} as const;
export type TimeFrame = (typeof TimeFrame)[keyof typeof TimeFrame];
export const TIME_FRAME_VALUES: readonly TimeFrame[] = Object.values(TimeFrame);

/** Every frame except `month`, whose length depends on the calendar. */
export type FixedTimeFrame = Exclude<TimeFrame, 'month'>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// 1970-01-01 was a Thursday; the first Monday 00:00 UTC after the epoch anchors week starts.
const FIRST_MONDAY = 4 * DAY;

const FIXED_MS: Record<FixedTimeFrame, number> = {
  min1: MINUTE,
  min5: 5 * MINUTE,
  min15: 15 * MINUTE,
  min30: 30 * MINUTE,
  h1: HOUR,
  h2: 2 * HOUR,
  h4: 4 * HOUR,
  day: DAY,
  week: WEEK,
};

// Case-insensitive spellings. The short forms are matched separately below because `1m`
// (minute) and `1M` (month) differ only in case.
const ALIASES: Record<string, TimeFrame> = {
  min1: 'min1',
  m1: 'min1',
  minute: 'min1',
  min5: 'min5',
  m5: 'min5',
  min15: 'min15',
  m15: 'min15',
  min30: 'min30',
  m30: 'min30',
  h1: 'h1',
  hour: 'h1',
  h2: 'h2',
  h4: 'h4',
  day: 'day',
  d1: 'day',
  d: 'day',
  week: 'week',
  w1: 'week',
  w: 'week',
  month: 'month',
  mn1: 'month',
  mn: 'month',
  '1mo': 'month',
  '1mon': 'month',
};

const SHORT: Record<string, TimeFrame> = {
  '1m': 'min1',
  '5m': 'min5',
  '15m': 'min15',
  '30m': 'min30',
  '1h': 'h1',
  '2h': 'h2',
  '4h': 'h4',
  '1d': 'day',
  '1w': 'week',
};

export function isTimeFrame(value: unknown): value is TimeFrame {
  return typeof value === 'string' && (TIME_FRAME_VALUES as readonly string[]).includes(value);
}

/**
 * Accepts the domain names (`min1`, `h4`, `day`), chart names (`M1`, `H4`, `D1`, `W1`, `MN1`)
 * and exchange short forms (`1m`, `4h`, `1d`, `1w`, `1M`). Case is ignored except in the short
 * forms, where `m` is minutes and `M` is months. Returns undefined for anything else, so callers
 * decide whether that is a 400 or a default.
 */
export function parseTimeFrame(input: string): TimeFrame | undefined {
  const raw = input.trim();
  if (raw === '1M') return 'month';
  const short = /^(\d+)([mhdwMHDW])$/.exec(raw);
  if (short) {
    const unit = short[2] ?? '';
    // Any other count with a capital M would be a multi-month frame, which does not exist.
    if (unit === 'M') return undefined;
    return SHORT[`${short[1] ?? ''}${unit.toLowerCase()}`];
  }
  return ALIASES[raw.toLowerCase()];
}

export function timeFrameMs(tf: FixedTimeFrame): number;
export function timeFrameMs(tf: TimeFrame): number | undefined;
export function timeFrameMs(tf: TimeFrame): number | undefined {
  return tf === 'month' ? undefined : FIXED_MS[tf];
}

/**
 * Open time of the bar containing `timeMs`. Intraday frames and days align to the UTC epoch
 * grid, weeks start on Monday 00:00 UTC, months on the 1st at 00:00 UTC.
 */
export function timeFrameStart(tf: TimeFrame, timeMs: number): number {
  if (tf === 'month') {
    const d = new Date(timeMs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  if (tf === 'week') return Math.floor((timeMs - FIRST_MONDAY) / WEEK) * WEEK + FIRST_MONDAY;
  const ms = FIXED_MS[tf];
  return Math.floor(timeMs / ms) * ms;
}

/** Open time of the bar after the one containing `timeMs` (= close time + 1 ms of that bar). */
export function nextTimeFrameStart(tf: TimeFrame, timeMs: number): number {
  if (tf === 'month') {
    const d = new Date(timeMs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return timeFrameStart(tf, timeMs) + FIXED_MS[tf];
}
