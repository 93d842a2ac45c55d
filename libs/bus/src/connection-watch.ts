import type { BusConnectionListener, BusStatus } from './types';

/**
 * The listeners of a bus's connection flips. nats.js reports a disconnect, every reconnect
 * attempt and every socket error separately; listeners hear only changes of `connected`, so an
 * app logs one line when the connection is lost and one when it is back, however many retries
 * lie in between.
 */
export function createConnectionWatch(initial: boolean, report: (err: Error) => void) {
  const listeners = new Set<BusConnectionListener>();
  let connected = initial;
  return {
    watch(listener: BusConnectionListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Tells the listeners when `next` differs from the last state they heard. */
    set(next: boolean, status: () => BusStatus): void {
      if (next === connected) return;
      connected = next;
      const current = status();
      for (const listener of [...listeners]) {
        try {
          listener({ connected: next, status: current });
        } catch (err) {
          // A listener's bug must not stop the connection loop that feeds every other listener.
          report(err instanceof Error ? err : new Error(String(err)));
        }
      }
    },
    /** A deliberate close is not an outage: nobody hears about it. */
    clear: (): void => listeners.clear(),
  };
}
