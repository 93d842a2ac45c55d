import { RecentMap } from '@barfinex/bus';
import type { DetectorEmission, SignalPayload } from '@barfinex/detector-kit';

export interface SignalRecord {
  signalId: string;
  detector: string;
  symbol: string;
  timeframe: string | undefined;
  direction: SignalPayload['direction'];
  status: 'active' | 'invalidated';
  generatedAt: number;
  updatedAt: number;
  updates: number;
  invalidatedReason?: string;
  /** The DETECTOR_SIGNAL_GENERATED payload as published. */
  signal: SignalPayload;
  correlationId: string | undefined;
  causationId: string | undefined;
}

export interface SignalQuery {
  page: number;
  limit: number;
  symbol?: string;
  detector?: string;
  status?: SignalRecord['status'];
}

export interface SignalPage {
  items: SignalRecord[];
  page: number;
  limit: number;
  total: number;
}

/**
 * Recent signals, newest first, bounded: a long-running detector keeps the last `capacity`
 * signals in memory (the durable history is the bus/event sink, not this app).
 */
export function createSignalBook(capacity: number) {
  // Forgets the oldest signal past `capacity` in O(1) (see RecentMap).
  const byId = new RecentMap<string, SignalRecord>(capacity);

  const touch = (signalId: string | undefined, at: number, fn: (r: SignalRecord) => void) => {
    const record = signalId === undefined ? undefined : byId.get(signalId);
    if (!record) return;
    fn(record);
    record.updatedAt = at;
  };

  return {
    record(detector: string, emission: DetectorEmission): void {
      const at = emission.meta.timestamp ?? 0;
      if (emission.name === 'DETECTOR_SIGNAL_GENERATED') {
        const signal = emission.payload;
        byId.set(signal.signalId, {
          signalId: signal.signalId,
          detector,
          symbol: signal.symbol,
          timeframe: signal.timeframe,
          direction: signal.direction,
          status: 'active',
          generatedAt: at,
          updatedAt: at,
          updates: 0,
          signal,
          correlationId: emission.meta.correlationId,
          causationId: emission.meta.causationId,
        });
      } else if (emission.name === 'DETECTOR_SIGNAL_UPDATED') {
        touch(emission.payload.signalId, at, (r) => (r.updates += 1));
      } else if (emission.name === 'DETECTOR_SIGNAL_INVALIDATED') {
        const reason = emission.payload.reason;
        touch(emission.payload.signalId, at, (r) => {
          r.status = 'invalidated';
          r.invalidatedReason = reason;
        });
      }
    },
    get: (signalId: string) => byId.get(signalId),
    size: () => byId.size,
    list(query: SignalQuery): SignalPage {
      const all = Array.from(byId, ([, record]) => record).reverse();
      const matching = all.filter(
        (r) =>
          (query.symbol === undefined || r.symbol === query.symbol) &&
          (query.detector === undefined || r.detector === query.detector) &&
          (query.status === undefined || r.status === query.status),
      );
      const start = (query.page - 1) * query.limit;
      return {
        items: matching.slice(start, start + query.limit),
        page: query.page,
        limit: query.limit,
        total: matching.length,
      };
    },
  };
}

export type SignalBook = ReturnType<typeof createSignalBook>;
