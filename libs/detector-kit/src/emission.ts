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

/** Canonical positive decimal string rounded to `decimals` places, or undefined if not positive. */
export function priceString(value: number | string | undefined, decimals: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
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
