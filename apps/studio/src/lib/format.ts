/** Number and time formatting by the symbol's filters and the user's time zone choice. */

/** Decimal places a step string allows: "0.0100" → 2, "1" → 0. */
export function decimalsOf(step: string | undefined): number {
  if (!step) return 2;
  const fraction = step.split('.')[1] ?? '';
  return fraction.replace(/0+$/, '').length;
}

/** A decimal string or number shown with exactly `decimals` places (column-aligned), '—' when absent. */
export function formatFixed(value: string | number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: true,
  });
}

/**
 * Snaps an input to its step, as the venue will check it: prices to the nearest tick, quantities
 * down to the step. Works on the decimal text so 0.1 + 0.2 artefacts never reach the order.
 */
export function snapToStep(value: string, step: string | undefined, mode: 'nearest' | 'floor'): string {
  if (!step || value.trim() === '' || !Number.isFinite(Number(value))) return value;
  const d = decimalsOf(step);
  const scale = 10 ** d;
  const stepUnits = Math.round(Number(step) * scale);
  if (stepUnits <= 0) return value;
  const units = Number(value) * scale;
  const snapped = (mode === 'floor' ? Math.floor(units / stepUnits + 1e-9) : Math.round(units / stepUnits)) * stepUnits;
  return (snapped / scale).toFixed(d);
}

export type TimeZoneMode = 'local' | 'utc';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(mode: TimeZoneMode, withDate: boolean): Intl.DateTimeFormat {
  const key = `${mode}:${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
      ...(mode === 'utc' ? { timeZone: 'UTC' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** Unix ms → "06/12/2026, 21:03:04" in local time or UTC. */
export function formatTime(ms: number | null | undefined, mode: TimeZoneMode, withDate = true): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return formatter(mode, withDate).format(new Date(ms));
}

/** The zone label shown in the header: "UTC" or the browser's zone name. */
export function zoneLabel(mode: TimeZoneMode): string {
  return mode === 'utc' ? 'UTC' : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local');
}
