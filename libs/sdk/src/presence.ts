import type { z } from 'zod';
import type { AppRegisterRequestSchema } from '@barfinex/contracts';
import type { ProviderClient } from './client';

export type AppDescription = z.input<typeof AppRegisterRequestSchema>;

export interface AppPresenceOptions {
  provider: Pick<ProviderClient, 'registry'>;
  app: AppDescription;
  /** Heartbeat period; keep it well under the provider's TTL (default 60 s). Default 15 s. */
  heartbeatMs?: number;
  /** First retry delay after a failure, doubled up to `heartbeatMs`. Default 500 ms. */
  retryMs?: number;
  /** A failed register/heartbeat/unregister; presence keeps trying regardless. */
  onError?: (err: unknown, phase: 'register' | 'heartbeat' | 'unregister') => void;
  onRegistered?: () => void;
}

export interface PresenceStatus {
  registered: boolean;
  consecutiveFailures: number;
  lastOkAt: number | null;
}

export interface AppPresence {
  /** Registers once (a failure is reported, not thrown) and starts the heartbeat loop. */
  start(): Promise<void>;
  /** Stops the loop and unregisters (best effort). Idempotent. */
  stop(reason?: string): Promise<void>;
  status(): PresenceStatus;
}

/**
 * Keeps an app visible in the provider's registry. Heartbeats upsert, so a provider that lost
 * its registry (restart on a fresh database) learns about the app again on the next beat, and a
 * provider that was down is retried with backoff instead of failing the app's start-up.
 */
export function createAppPresence(options: AppPresenceOptions): AppPresence {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const retryMs = Math.min(options.retryMs ?? 500, heartbeatMs);
  const state: PresenceStatus = { registered: false, consecutiveFailures: 0, lastOkAt: null };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let inFlight: Promise<void> = Promise.resolve();

  const beat = async (phase: 'register' | 'heartbeat'): Promise<void> => {
    try {
      if (phase === 'register') await options.provider.registry.register(options.app);
      else await options.provider.registry.heartbeat(options.app);
      const first = !state.registered;
      state.registered = true;
      state.consecutiveFailures = 0;
      state.lastOkAt = Date.now();
      if (first) options.onRegistered?.();
    } catch (err) {
      state.consecutiveFailures += 1;
      options.onError?.(err, phase);
    }
  };

  const schedule = (): void => {
    if (!running) return;
    const delay =
      state.consecutiveFailures === 0
        ? heartbeatMs
        : Math.min(heartbeatMs, retryMs * 2 ** (state.consecutiveFailures - 1));
    timer = setTimeout(() => {
      inFlight = beat(state.registered ? 'heartbeat' : 'register').then(schedule);
    }, delay);
    // A browser's timer id is a number: only Node's timers can be released from the event loop.
    (timer as { unref?: () => void }).unref?.();
  };

  return {
    async start() {
      if (running) return;
      running = true;
      inFlight = beat('register');
      await inFlight;
      schedule();
    },
    async stop(reason = 'shutdown') {
      if (!running) return;
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
      if (!state.registered) return;
      try {
        await options.provider.registry.unregister({
          appType: options.app.appType,
          appKey: options.app.appKey,
          reason,
        });
      } catch (err) {
        options.onError?.(err, 'unregister');
      }
      state.registered = false;
    },
    status: () => ({ ...state }),
  };
}
