// When a chat's message may go: after its quiet hours (minutes of the UTC day; from > to spans
// midnight) and, in digest mode, at the next digest boundary, so a burst of events is one message.
const DAY = 86_400_000;
const MINUTE = 60_000;

export interface ChatSchedule {
  quietFrom: number | null;
  quietTo: number | null;
  digestMinutes: number | null;
}

/** The end of the quiet period `at` falls in, or undefined when `at` is not quiet. */
export function quietUntil(s: ChatSchedule, at: number): number | undefined {
  if (s.quietFrom === null || s.quietTo === null || s.quietFrom === s.quietTo) return undefined;
  const dayStart = Math.floor(at / DAY) * DAY;
  const minute = (at - dayStart) / MINUTE;
  const { quietFrom: from, quietTo: to } = s;
  if (from < to) return minute >= from && minute < to ? dayStart + to * MINUTE : undefined;
  if (minute >= from) return dayStart + DAY + to * MINUTE;
  if (minute < to) return dayStart + to * MINUTE;
  return undefined;
}

/** When a non-urgent message created at `at` is released. */
export function releaseAt(s: ChatSchedule, at: number): number {
  let t = at;
  if (s.digestMinutes !== null && s.digestMinutes > 0) {
    const every = s.digestMinutes * MINUTE;
    t = Math.ceil(t / every) * every;
  }
  return quietUntil(s, t) ?? t;
}
