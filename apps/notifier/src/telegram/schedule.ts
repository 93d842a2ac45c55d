// When a chat's message may go: after its quiet hours and, in digest mode, at the next digest
// boundary, so a burst of events is one message. Both follow the chat's time zone: quiet hours are
// wall-clock minutes of its day (from > to spans midnight), digest windows restart at its midnight.
// Offsets come from the IANA database through Intl (ECMA-402 DateTimeFormat with `timeZone`), so
// daylight-saving changes are honoured: a wall time skipped by a spring-forward gap resolves to the
// instant the clocks jump, a wall time repeated by a fall-back overlap to its next occurrence.
import { zoneOffsetMs } from './time-zone';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface ChatSchedule {
  quietFrom: number | null;
  quietTo: number | null;
  digestMinutes: number | null;
  /** IANA name; UTC when absent. */
  timeZone?: string;
}

/** The local day of `at` (days since the epoch on the zone's wall clock) and the minute within it. */
function localDay(zone: string, at: number): { day: number; minute: number } {
  const wall = at + zoneOffsetMs(zone, at);
  const day = Math.floor(wall / DAY);
  return { day, minute: (wall - day * DAY) / MINUTE };
}

/**
 * The instants at which the zone's wall clock reads `minute` of local `day`: one, two when a
 * fall-back repeats it, or the instant the clocks jump over it when a spring-forward skips it.
 */
function occurrences(zone: string, day: number, minute: number): number[] {
  const wall = day * DAY + minute * MINUTE;
  // Offsets in force around that wall time; a zone changes its offset at most once within a day.
  const candidates = [...new Set([wall - DAY, wall, wall + DAY].map((t) => wall - zoneOffsetMs(zone, t)))].sort(
    (a, b) => a - b,
  );
  const exact = candidates.filter((t) => t + zoneOffsetMs(zone, t) === wall);
  if (exact.length > 0) return exact;
  let lo = candidates[0] ?? wall;
  let hi = candidates[candidates.length - 1] ?? wall;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid + zoneOffsetMs(zone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return [hi];
}

/** The first instant at or after `from` at which the wall clock reads `minute` of local `day` (or has jumped past it). */
function next(zone: string, day: number, minute: number, from: number): number | undefined {
  return occurrences(zone, day, minute).find((t) => t >= from);
}

/** The end of the quiet period `at` falls in, or undefined when `at` is not quiet. */
export function quietUntil(s: ChatSchedule, at: number): number | undefined {
  if (s.quietFrom === null || s.quietTo === null || s.quietFrom === s.quietTo) return undefined;
  const zone = s.timeZone ?? 'UTC';
  const { day, minute } = localDay(zone, at);
  const { quietFrom: from, quietTo: to } = s;
  if (from < to) return minute >= from && minute < to ? next(zone, day, to, at + 1) : undefined;
  if (minute >= from) return next(zone, day + 1, to, at + 1);
  if (minute < to) return next(zone, day, to, at + 1);
  return undefined;
}

/**
 * The next digest boundary at or after `at`: the next instant the chat's wall clock reads a multiple
 * of `every` minutes since its midnight (a daily digest goes at local midnight, an hourly one on the
 * local hour), the last window of a day ending at the next midnight.
 */
function digestBoundary(zone: string, every: number, at: number): number {
  const { day, minute } = localDay(zone, at);
  const ahead = Math.ceil(minute / every) * every;
  const found = [ahead < 24 * 60 ? next(zone, day, ahead, at) : undefined, next(zone, day + 1, 0, at)];
  // Around a fall-back the wall clock reads an hour again: a boundary just passed comes round once more.
  const offset = zoneOffsetMs(zone, at);
  if ([at - 3 * 3_600_000, at + 3 * 3_600_000].some((t) => zoneOffsetMs(zone, t) !== offset))
    for (let m = Math.floor(Math.max(0, minute - 180) / every) * every; m < ahead; m += every)
      found.push(next(zone, day, m, at));
  return Math.min(...found.filter((t): t is number => t !== undefined));
}

/** When a non-urgent message created at `at` is released. */
export function releaseAt(s: ChatSchedule, at: number): number {
  let t = at;
  if (s.digestMinutes !== null && s.digestMinutes > 0) t = digestBoundary(s.timeZone ?? 'UTC', s.digestMinutes, at);
  return quietUntil(s, t) ?? t;
}
