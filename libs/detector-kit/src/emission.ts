import type { EventMeta, EventPayloadInput } from '@barfinex/events';
import Decimal from 'decimal.js';

export const DETECTOR_EVENT_NAMES = [
  'DETECTOR_SIGNAL_GENERATED',
  'DETECTOR_SIGNAL_UPDATED',
  'DETECTOR_SIGNAL_INVALIDATED',
  'DETECTOR_POSITION_OPEN_REQUEST',
  'DETECTOR_POSITION_CLOSE_REQUEST',
  'DETECTOR_POSITION_REDUCE_REQUEST',
  'DETECTOR_POSITION_FLIP_REQUEST',
] as const;
export type DetectorEventName = (typeof DETECTOR_EVENT_NAMES)[number];

/**
 * What the runner hands to its `emit` callback: a catalog event name, a payload that passes the
 * catalog schema, and envelope metadata (correlationId = signalId, causationId = the input that
 * caused it). The host wraps it with `createEnvelope` and publishes it.
 */
export type DetectorEmission = {
  [N in DetectorEventName]: { name: N; payload: EventPayloadInput<N>; meta: EventMeta };
}[DetectorEventName];

export type SignalPayload = EventPayloadInput<'DETECTOR_SIGNAL_GENERATED'>;
export type PositionRequestPayload = EventPayloadInput<'DETECTOR_POSITION_OPEN_REQUEST'>;

/**
 * Rounds the shortest decimal form of `text` (digits, one optional point) half-up to `decimals`
 * places, without trailing zeros: what decimal.js gives for `new Decimal(x).toDecimalPlaces(d)`
 * on a plain number, without allocating a Decimal (signals carry several prices each).
 */
function roundPlain(text: string, decimals: number): string {
  const point = text.indexOf('.');
  if (point === -1 || text.length - point - 1 <= decimals) return text;
  const digits = (text.slice(0, point) + text.slice(point + 1, point + 1 + decimals)).split('');
  if (text.charCodeAt(point + 1 + decimals) >= 53 /* '5' */) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === '9') digits[i--] = '0';
    if (i >= 0) digits[i] = String(Number(digits[i]) + 1);
    else digits.unshift('1');
  }
  const intLength = digits.length - decimals;
  const whole = digits.slice(0, intLength).join('').replace(/^0+(?=\d)/, '');
  const frac = digits.slice(intLength).join('').replace(/0+$/, '');
  return frac.length > 0 ? `${whole}.${frac}` : whole;
}

const PLAIN = /^\d+(\.\d+)?$/;

/** Canonical positive decimal string rounded to `decimals` places, or undefined if not positive. */
export function priceString(value: number | string | undefined, decimals: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    // String(x) is the shortest round-trip form, the same digits decimal.js starts from.
    const text = String(value);
    if (PLAIN.test(text) && Number.isInteger(decimals) && decimals >= 0) {
      const rounded = roundPlain(text, decimals);
      return /[1-9]/.test(rounded) ? rounded : undefined;
    }
  }
  let d: Decimal;
  try {
    d = new Decimal(value).toDecimalPlaces(decimals);
  } catch {
    return undefined;
  }
  return d.gt(0) ? d.toFixed() : undefined;
}

export function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
