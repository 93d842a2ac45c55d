import { LOG_LEVEL_VALUES, type LogLevel } from '@barfinex/enums';
import { z } from 'zod';

/**
 * Schemas for environment variables. Each takes the raw string (or nothing), and gives the typed
 * value, the default when unset or empty, or an issue saying what was expected. With no default the
 * variable is required; add `.optional()` for a variable that may stay unset.
 * Issue messages omit the received value: `parseConfig` appends it, and hides it for secrets.
 */
function envValue<T>(expected: string, parse: (raw: string) => T | undefined, defaultValue?: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const text = raw?.trim();
      if (text === undefined || text === '') {
        if (defaultValue !== undefined) return defaultValue;
        ctx.addIssue({ code: 'custom', message: `is required (${expected})` });
        return z.NEVER;
      }
      const value = parse(text);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
        return z.NEVER;
      }
      return value;
    });
}

function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

function rangeText(min: number, max: number): string {
  if (min > Number.MIN_SAFE_INTEGER && max < Number.MAX_SAFE_INTEGER) return `an integer between ${min} and ${max}`;
  if (min > Number.MIN_SAFE_INTEGER) return `an integer >= ${min}`;
  if (max < Number.MAX_SAFE_INTEGER) return `an integer <= ${max}`;
  return 'an integer';
}

export function envPort(defaultValue?: number) {
  return envValue(rangeText(1, 65535), (t) => parseInteger(t, 1, 65535), defaultValue);
}

export interface IntRange {
  min?: number;
  max?: number;
}

export function envInt(defaultValue?: number, range: IntRange = {}) {
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  return envValue(rangeText(min, max), (t) => parseInteger(t, min, max), defaultValue);
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export function envBool(defaultValue?: boolean) {
  return envValue(
    'a boolean (true/false, 1/0, yes/no, on/off)',
    (t) => {
      const word = t.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return undefined;
    },
    defaultValue,
  );
}

export interface UrlOptions {
  /** Allowed schemes without the colon, e.g. ['http', 'https']. Any scheme when omitted. */
  protocols?: readonly string[];
}

export function envUrl(defaultValue?: string, options: UrlOptions = {}) {
  const protocols = options.protocols;
  const expected = protocols ? `a URL (${protocols.map((p) => `${p}://`).join(', ')})` : 'a URL';
  return envValue(
    expected,
    (t) => {
      if (!URL.canParse(t)) return undefined;
      const scheme = new URL(t).protocol.slice(0, -1);
      return protocols === undefined || protocols.includes(scheme) ? t : undefined;
    },
    defaultValue,
  );
}

/** Comma-separated values, trimmed, empty items dropped: "BTCUSDT, ETHUSDT" → ['BTCUSDT', 'ETHUSDT']. */
export function envList(defaultValue?: readonly string[]) {
  return envValue(
    'a comma-separated list',
    (t) => {
      const items = t
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length > 0 ? items : undefined;
    },
    defaultValue === undefined ? undefined : [...defaultValue],
  );
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "100ms", "30s", "5m", "2h", "1d", or a plain number of milliseconds; undefined when unreadable. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = UNIT_MS[(match[2] ?? 'ms').toLowerCase()] ?? 1;
  const ms = Math.round(amount * unit);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

export function envDurationMs(defaultValue?: number | string) {
  const fallback = typeof defaultValue === 'string' ? parseDurationMs(defaultValue) : defaultValue;
  if (typeof defaultValue === 'string' && fallback === undefined) {
    throw new TypeError(`envDurationMs: default "${defaultValue}" is not a duration`);
  }
  return envValue('a duration such as 100ms, 30s, 5m, 1h or a number of milliseconds', parseDurationMs, fallback);
}

export function envLogLevel(defaultValue: LogLevel = 'info') {
  return envValue(
    `one of ${LOG_LEVEL_VALUES.join(', ')}`,
    (t) => LOG_LEVEL_VALUES.find((level) => level === t.toLowerCase()),
    defaultValue,
  );
}

/** A non-empty string; unlike `z.string()`, an empty variable counts as unset. */
export function envString(defaultValue?: string) {
  return envValue('a non-empty string', (t) => t, defaultValue);
}
