import type { NoTradeWindow, PolicyCheck, RiskPolicies, RiskSnapshot } from './types';

const DAY_MS = 86_400_000;

/** 00:00 UTC of the day containing `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `ms` falls in the window: start inclusive, end exclusive, in UTC. A window whose end is
 * before its start wraps midnight and belongs to the weekday it starts on.
 */
export function inWindow(w: NoTradeWindow, ms: number): boolean {
  const minute = Math.floor((ms - utcDayStart(ms)) / 60_000);
  const day = new Date(ms).getUTCDay();
  const start = minutes(w.start);
  const end = minutes(w.end);
  const onDay = (d: number) => w.days === undefined || w.days.includes(d);
  if (start < end) return onDay(day) && minute >= start && minute < end;
  if (minute >= start) return onDay(day);
  return minute < end && onDay((day + 6) % 7);
}

export function checkNoTradeWindows(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const minute = Math.floor((s.now - utcDayStart(s.now)) / 60_000);
  const hit = p.noTradeWindows.find((w) => inWindow(w, s.now));
  const now = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return {
    policy: 'noTradeWindow',
    passed: hit === undefined,
    action: 'BLOCK',
    current: String(minute),
    limit: hit ? String(minutes(hit.start)) : '0',
    reason: hit
      ? `${now} UTC is inside the no-trade window ${hit.start}-${hit.end}${hit.label ? ` (${hit.label})` : ''}`
      : `${now} UTC is outside every no-trade window`,
  };
}
