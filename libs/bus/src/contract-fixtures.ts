// Test-only: the events and payloads the contract suite publishes. Built from the catalog's own
// examples so a payload schema change touches nothing here.
import { EVENT_EXAMPLES } from '@barfinex/events';
import type { EventName, EventPayloadInput } from '@barfinex/events';

/** Live-only market data carrying a symbol. */
export const LIVE_EVENT = 'PROVIDER_MARKETDATA_TRADE' satisfies EventName;
/** Another live-only event, for multi-name subscriptions. */
export const OTHER_LIVE_EVENT = 'PROVIDER_SYMBOLS' satisfies EventName;
/** A durable (JetStream) event carrying a symbol. */
export const DURABLE_EVENT = 'PROVIDER_ORDER_FILL' satisfies EventName;

const T0 = 1_717_200_000_000;

export function livePayload(symbol: string, n: number): EventPayloadInput<typeof LIVE_EVENT> {
  return { ...EVENT_EXAMPLES[LIVE_EVENT], symbol, time: T0 + n, price: `${100 + n}.5` };
}

export function otherLivePayload(): EventPayloadInput<typeof OTHER_LIVE_EVENT> {
  return EVENT_EXAMPLES[OTHER_LIVE_EVENT];
}

export function durablePayload(symbol: string, n: number): EventPayloadInput<typeof DURABLE_EVENT> {
  return { ...EVENT_EXAMPLES[DURABLE_EVENT], symbol, orderId: `order-${n}`, fillId: `fill-${n}` };
}

/** Structurally wrong for LIVE_EVENT: publishing it must fail validation. */
export const BAD_LIVE_PAYLOAD = { symbol: 'BTCUSDT', price: 'not-a-price' } as unknown as EventPayloadInput<
  typeof LIVE_EVENT
>;
