import { RecentSet } from '@barfinex/bus';
import type { EventEnvelope } from '@barfinex/events';
import type { SinkRow } from './eventsink.repository';
import { toSinkRow } from './eventsink.repository';

export interface EventSinkOptions {
  /** Stores the rows, skipping any already stored; resolves with the eventIds it stored now. */
  insert: (rows: readonly SinkRow[]) => Promise<readonly string[]>;
  /** Rows per INSERT; a full batch is written at once instead of waiting for the timer. */
  batchSize?: number;
  flushMs?: number;
  /** Rows held in memory at most (while the database is slow or down). */
  maxBuffered?: number;
  /** Retry delays after a failed write double from `retryMs` up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** A durable event not stored within this is refused, so the bus redelivers it later. */
  durableTimeoutMs?: number;
  /**
   * How long a durable event this process emitted (see `tap`) may wait before the buffer is
   * written (default 25 ms): waiting lets the events of every order in flight go in one statement
   * instead of one each, and not longer, since WebSocket clients that can resume see durable
   * events once they are stored.
   */
  tappedFlushMs?: number;
  /**
   * Rows this sink stored, in write order. A redelivered event that was already stored (its ack
   * lost in a bus outage, say) is not among them, so whoever shows stored events shows it once.
   */
  onStored?: (rows: readonly SinkRow[]) => void;
  onDropped?: (row: SinkRow, dropped: number) => void;
  onWriteError?: (err: unknown, info: { rows: number; failures: number; retryInMs: number }) => void;
}

export interface EventSinkStats {
  buffered: number;
  stored: number;
  dropped: number;
  failures: number;
  lastError?: string;
}

interface Entry {
  row: SinkRow;
  waiters: Array<{ resolve: () => void; reject: (err: Error) => void }>;
}

export class SinkFullError extends Error {
  constructor(limit: number) {
    super(`event sink buffer is full (${limit} rows waiting for the database)`);
    this.name = 'SinkFullError';
  }
}

/**
 * Batches bus events into the database. Memory is bounded: past the cap, market data is counted
 * as dropped (never silently) and a durable event is refused so its stream redelivers it. While
 * the database is down rows stay buffered and writes are retried with backoff.
 */
export function createEventSink(options: EventSinkOptions) {
  const batchSize = options.batchSize ?? 500;
  const flushMs = options.flushMs ?? 200;
  const maxBuffered = options.maxBuffered ?? 100_000;
  const retryMs = options.retryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  const durableTimeoutMs = options.durableTimeoutMs ?? 5_000;
  const tappedFlushMs = options.tappedFlushMs ?? 25;

  const buffer = new Map<string, Entry>();
  /** Event ids written lately, so the bus delivery of an event this process already stored costs no write. */
  const recent = new RecentSet<string>(20_000);
  const remember = (eventId: string) => {
    recent.add(eventId);
  };
  const stats = { stored: 0, dropped: 0, failures: 0, lastError: undefined as string | undefined };
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let soonTimer: NodeJS.Timeout | undefined;
  let retryAt = 0;
  let closed = false;

  function schedule(delayMs: number): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, delayMs);
    timer.unref();
  }

  /** A write within `tappedFlushMs`, shared by every delivery that asks meanwhile. */
  function flushSoon(): void {
    if (soonTimer || closed) return;
    soonTimer = setTimeout(() => {
      soonTimer = undefined;
      if (Date.now() >= retryAt) void flush();
    }, tappedFlushMs);
    soonTimer.unref();
  }

  function enqueue(row: SinkRow): Entry | undefined {
    const existing = buffer.get(row.eventId);
    if (existing) return existing;
    if (buffer.size >= maxBuffered) return undefined;
    const entry: Entry = { row, waiters: [] };
    buffer.set(row.eventId, entry);
    if (buffer.size >= batchSize && Date.now() >= retryAt) void flush();
    else schedule(flushMs);
    return entry;
  }

  async function writeOnce(): Promise<boolean> {
    const entries: Entry[] = [];
    for (const entry of buffer.values()) {
      entries.push(entry);
      if (entries.length >= batchSize) break;
    }
    if (entries.length === 0) return false;
    const rows = entries.map((e) => e.row);
    let fresh: Set<string>;
    try {
      fresh = new Set(await options.insert(rows));
    } catch (err) {
      stats.failures += 1;
      stats.lastError = err instanceof Error ? err.message : String(err);
      const delay = Math.min(maxRetryMs, retryMs * 2 ** Math.min(stats.failures - 1, 20));
      retryAt = Date.now() + delay;
      options.onWriteError?.(err, { rows: rows.length, failures: stats.failures, retryInMs: delay });
      schedule(delay);
      return false;
    }
    stats.failures = 0;
    retryAt = 0;
    for (const entry of entries) {
      buffer.delete(entry.row.eventId);
      remember(entry.row.eventId);
      for (const w of entry.waiters) w.resolve();
    }
    const stored = rows.filter((r) => fresh.has(r.eventId));
    stats.stored += stored.length;
    if (stored.length > 0) options.onStored?.(stored);
    return true;
  }

  /** Writes everything buffered (batch by batch); stops at the first failure, which schedules a retry. */
  function flush(): Promise<void> {
    if (writing) return writing;
    if (buffer.size === 0) return Promise.resolve();
    // Only one write runs at a time, and its loop awaits at least once (the buffer is not empty), so
    // `writing` is this write when the finally block runs.
    writing = (async () => {
      try {
        while (buffer.size > 0 && (await writeOnce()));
      } finally {
        // Cleared in the same microtask the loop found the buffer empty (a `.finally` on the promise
        // would run a hop later): a row added from here on starts a new write at once instead of
        // being handed this finished one and left to the flush timer.
        writing = undefined;
        if (buffer.size > 0) schedule(Math.max(flushMs, retryAt - Date.now()));
      }
    })();
    return writing;
  }

  return {
    /** Market data and other non-durable events: fire and forget; false when dropped. */
    add(env: EventEnvelope): boolean {
      const row = toSinkRow(env);
      if (enqueue(row)) return true;
      stats.dropped += 1;
      options.onDropped?.(row, stats.dropped);
      return false;
    },
    /**
     * A durable event this process emits, handed over as it is emitted: it is written with the
     * others of the moment in one batch. false when it was not taken (the sink is closed, or full
     * while the database is slow or down): whoever taps must then get it stored another way.
     */
    tap(env: EventEnvelope): boolean {
      if (closed) return false;
      if (recent.has(env.eventId)) return true;
      if (enqueue(toSinkRow(env)) === undefined) return false;
      // Written within `tappedFlushMs`, with the rows of the other orders in flight: resumable
      // WebSocket clients get durable events once stored, so the flush timer alone would delay them.
      flushSoon();
      return true;
    },
    /** Resolves once the event is stored; rejects (so the bus redelivers) when full or too slow. */
    addDurable(env: EventEnvelope): Promise<void> {
      if (recent.has(env.eventId)) return Promise.resolve();
      const tapped = buffer.get(env.eventId);
      const entry = tapped ?? enqueue(toSinkRow(env));
      if (!entry) return Promise.reject(new SinkFullError(maxBuffered));
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`event ${env.eventId} not stored within ${durableTimeoutMs} ms; will be redelivered`)),
          durableTimeoutMs,
        );
        t.unref();
        entry.waiters.push({
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
          reject,
        });
        // Another app's durable event blocks its stream until acked: write now, not on the timer.
        // One this process tapped waits a moment for the rows of the other orders in flight.
        if (tapped) flushSoon();
        else if (Date.now() >= retryAt) void flush();
      });
    },
    flush,
    stats(): EventSinkStats {
      return {
        buffered: buffer.size,
        stored: stats.stored,
        dropped: stats.dropped,
        failures: stats.failures,
        ...(stats.lastError ? { lastError: stats.lastError } : {}),
      };
    },
    /** Tries once more to write what is buffered; what remains is reported by `stats().buffered`. */
    async close(): Promise<void> {
      if (timer) clearTimeout(timer);
      if (soonTimer) clearTimeout(soonTimer);
      timer = undefined;
      soonTimer = undefined;
      await flush();
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export type EventSink = ReturnType<typeof createEventSink>;
