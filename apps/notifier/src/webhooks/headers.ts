/** Sent with every delivery besides the signature: the id a receiver deduplicates on (the same on every retry), the event's name and the attempt number. */
export const DELIVERY_HEADER = 'x-barfinex-delivery';
export const EVENT_HEADER = 'x-barfinex-event';
export const ATTEMPT_HEADER = 'x-barfinex-attempt';
