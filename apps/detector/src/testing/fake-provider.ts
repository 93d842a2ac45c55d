import type { Candle } from '@barfinex/contracts';
import type { ProviderClient } from '@barfinex/sdk';
import { AppError } from '@barfinex/service-kit';

/** Candles as the provider serves them: decimal strings, closed, one minute apart. */
export function minuteCandles(symbol: string, closes: readonly number[], start = 1_717_200_000_000): Candle[] {
  return closes.map((close, i) => ({
    symbol,
    interval: 'min1' as const,
    time: start + i * 60_000,
    closeTime: start + (i + 1) * 60_000 - 1,
    open: String(close),
    high: String(close),
    low: String(close),
    close: String(close),
    volume: '1',
    closed: true,
  }));
}

export interface FakeProviderHooks {
  /** Awaited before candles are served (a test holds a re-warm there). */
  beforeCandles?: (query: Record<string, unknown>) => Promise<void>;
  /** Any other route (repair, backfill): its answer; the call is recorded either way. */
  onRequest?: (route: { method: string; path: string }, input: unknown) => unknown;
}

/** The slice of the provider the detector app uses, recorded for assertions. */
export function createFakeProvider(
  history: Record<string, Candle[]>,
  detectorConfig?: Record<string, unknown>,
  hooks: FakeProviderHooks = {},
) {
  const calls: { method: string; body: unknown }[] = [];
  const provider = {
    detectors: {
      get: async (key: string) => {
        if (!detectorConfig) throw new AppError('NOT_FOUND', `detector ${key} not found`);
        return detectorConfig;
      },
    },
    candles: {
      list: async (q: { symbol: string }) => {
        calls.push({ method: 'candles.list', body: q });
        await hooks.beforeCandles?.(q);
        const rows = history[q.symbol];
        if (!rows) throw new AppError('NOT_FOUND', 'No candles found');
        return rows;
      },
    },
    request: async (route: { method: string; path: string }, input: unknown) => {
      calls.push({ method: `${route.method} ${route.path}`, body: input });
      return hooks.onRequest?.(route, input);
    },
    registry: {
      register: async (body: unknown) => void calls.push({ method: 'register', body }),
      heartbeat: async (body: unknown) => void calls.push({ method: 'heartbeat', body }),
      unregister: async (body: unknown) => void calls.push({ method: 'unregister', body }),
    },
  };
  return { provider: provider as unknown as ProviderClient, calls };
}
