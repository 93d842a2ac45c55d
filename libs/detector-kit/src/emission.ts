import type { EventMeta, EventPayloadInput } from '@barfinex/events';
import { Money } from '@barfinex/contracts';

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
 * `parts` joined with ':' as one flat string. Emitted events are kept (the harness returns all
 * of them), and a template literal of several parts is a tree of rope nodes until something
 * flattens it: several heap objects per id instead of one.
 */
export function joinId(parts: readonly (string | number)[]): string {
  return parts.join(':');
}

const TARGET_REASONS = Array.from({ length: 16 }, (_, i) => `target ${i}`);
const TARGET_REACHED_REASONS = Array.from({ length: 16 }, (_, i) => `target ${i} reached`);

/** `target N`: the reason of a signal's N-th target level. */
export function targetReason(n: number): string {
  return TARGET_REASONS[n] ?? `target ${n}`;
}

/** `target N reached`: why a signal was updated (or a position reduced) when it hit target N. */
export function targetReachedReason(n: number): string {
  return TARGET_REACHED_REASONS[n] ?? `target ${n} reached`;
}

/** Drops trailing zeros of the fraction (and the point when nothing is left after it). */
function trimFraction(text: string): string {
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48 /* 0 */) end -= 1;
  if (text.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Rounds the shortest decimal form of a positive number (digits with at most one point) half-up
 * to `decimals` places without trailing zeros: what decimal.js gives for
 * `new Money(x).toDecimalPlaces(d)`, without allocating a Money (a signal carries several
 * prices and the harness emits thousands of signals per second).
 */
function roundPlain(text: string, decimals: number): string {
  const point = text.indexOf('.');
  if (point === -1 || text.length - point - 1 <= decimals) return text;
  const cut = point + 1 + decimals;
  const head = decimals === 0 ? text.slice(0, point) : text.slice(0, cut);
  if (text.charCodeAt(cut) < 53 /* 5 */) return decimals === 0 ? head : trimFraction(head);
  // Round up: carry through trailing nines (the point is skipped), possibly adding a leading 1.
  const chars = head.split('');
  let i = chars.length - 1;
  for (; i >= 0; i -= 1) {
    if (chars[i] === '.') continue;
    if (chars[i] !== '9') break;
    chars[i] = '0';
  }
  if (i >= 0) chars[i] = String.fromCharCode((chars[i] as string).charCodeAt(0) + 1);
  else chars.unshift('1');
  const rounded = chars.join('');
  return decimals === 0 ? rounded : trimFraction(rounded);
}

/** Canonical positive decimal string rounded to `decimals` places, or undefined if not positive. */
export function priceString(value: number | string | undefined, decimals: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    // String(x) is the shortest round-trip form, the same digits decimal.js starts from; only
    // the exponent forms (below 1e-6 or from 1e21) take the Money path.
    const text = String(value);
    if (text.indexOf('e') === -1 && Number.isInteger(decimals) && decimals >= 0) {
      const rounded = roundPlain(text, decimals);
      return rounded === '0' ? undefined : rounded;
    }
  }
  let d: Money;
  try {
    d = new Money(value).toDecimalPlaces(decimals);
  } catch {
    return undefined;
  }
  return d.gt(0) ? d.toFixed() : undefined;
}

export function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
