// Test-only: what a transport provides to the contract suite, and polling for async outcomes.
import type { EventName } from '@barfinex/events';
import type { Bus, BusErrorListener } from './types';

export interface BusHarness {
  bus: Bus;
  /** Unique per harness: use it in request/reply subjects so runs never meet. */
  id: string;
  /** Puts raw text on an event's subject with no validation, as a foreign client on the wire would. */
  publishRaw(name: EventName, symbol: string | undefined, text: string): Promise<void>;
  close(): Promise<void>;
}

export type BusHarnessFactory = (hooks: { onError: BusErrorListener; now: () => number }) => Promise<BusHarness>;

export const FIXED_NOW = 1_750_000_000_000;

/** Polls until `check` passes or the deadline expires (I/O has no event to await here). */
export async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
