import type { Bus, Subscription } from '@barfinex/bus';
import { EVENT_NAMES, eventSourceOf, isDurableEvent } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import type { Database, PrismaClient } from '@barfinex/db';
import type { Metrics } from '@barfinex/service-kit';
import type { Logger } from 'pino';
import type { EventHistory } from '../../ws/resume';
import type { SinkRecord } from '../../ws/sink-record';
import { toSinkRecord } from '../../ws/sink-record';
import { createEventSink } from './event-sink';
import { createEventSinkRepository } from './eventsink.repository';
import { createSinkRetention } from './eventsink.retention';
import { rowToSinkRecord, subscribeEventSink } from './eventsink.subscriber';

export interface EventSinkModuleDeps {
  prisma: PrismaClient;
  /** PostgreSQL's pg Pool, when there is one (see createEventSinkRepository). */
  pool?: Database['pool'];
  bus: Bus;
  logger: Logger;
  metrics: Metrics;
  enabled: boolean;
  /** Durable consumer name: durable events published while the provider was down are stored on restart. */
  durable: string;
  batchSize: number;
  flushMs: number;
  maxBuffered: number;
  /**
   * How long stored events are kept (ms, 0 = for ever): market data, and every other event. Ages
   * are read against this host's clock, as events are stamped (default: kept for ever).
   */
  retention?: { marketKeepMs: number; keepMs: number };
  now?: () => number;
}

const DROP_LOG_EVERY = 1_000;
const UNSUBSCRIBE_WAIT_MS = 2_000;
/**
 * How far before the newest stored own event a catch-up reads the stream: covers the provider's
 * and the NATS server's clocks disagreeing (the stream is read by the server's receive time).
 */
export const CATCH_UP_MARGIN_MS = 60_000;
const CATCH_UP_RETRY_MS = 30_000;

/**
 * The provider's own durable events. The sink stores them as they are emitted (`tap`), not from
 * the bus: consuming them back cost the NATS server a delivery and an acknowledgement per event
 * and the provider a parse, about a sixth of an order's CPU. What a crash or a full buffer kept
 * from being stored is read back from the stream (`catchUp`).
 */
export const OWN_DURABLE_EVENTS: readonly EventName[] = EVENT_NAMES.filter(
  (name) => isDurableEvent(name) && eventSourceOf(name) === 'PROVIDER',
);

/** The event sink as the provider runs it: repository, buffer, bus subscription and metrics. */
export function createEventSinkModule(deps: EventSinkModuleDeps) {
  const repo = createEventSinkRepository(deps.prisma, { pool: deps.pool });
  const log = deps.logger.child({ component: 'eventsink' });
  const stored = deps.metrics.counter({
    name: 'bfx_eventsink_stored_total',
    help: 'Events written to the event sink',
    labelNames: ['category'] as const,
  });
  const dropped = deps.metrics.counter({
    name: 'bfx_eventsink_dropped_total',
    help: 'Non-durable events dropped because the sink buffer was full',
    labelNames: ['category'] as const,
  });
  const writeErrors = deps.metrics.counter({
    name: 'bfx_eventsink_write_errors_total',
    help: 'Failed event sink batch writes (retried)',
  });
  const buffered = deps.metrics.gauge({ name: 'bfx_eventsink_buffered', help: 'Events waiting for the database' });
  const caughtUp = deps.metrics.counter({
    name: 'bfx_eventsink_caught_up_total',
    help: "The provider's own durable events read back from the stream because they had not been stored (after a crash or a full buffer)",
  });
  const pruned = deps.metrics.counter({
    name: 'bfx_eventsink_pruned_total',
    help: 'Stored events deleted past their retention (EVENTSINK_MARKET_RETENTION_MS, EVENTSINK_RETENTION_MS)',
    labelNames: ['kind'] as const,
  });
  const pruneRounds = deps.metrics.counter({
    name: 'bfx_eventsink_prune_rounds_total',
    help: 'Event sink retention rounds, by outcome',
    labelNames: ['outcome'] as const,
  });
  const retention = createSinkRetention({
    repo,
    now: deps.now ?? Date.now,
    marketKeepMs: deps.retention?.marketKeepMs ?? 0,
    keepMs: deps.retention?.keepMs ?? 0,
    onPruned: (counts) => {
      pruned.inc({ kind: 'marketdata' }, counts.marketdata);
      pruned.inc({ kind: 'other' }, counts.other);
      pruneRounds.inc({ outcome: 'pruned' });
      log.debug(counts, 'events past their retention deleted');
    },
    onError: (err) => {
      pruneRounds.inc({ outcome: 'failed' });
      log.warn({ err }, 'event sink retention round failed; the next one tries again');
    },
  });
  let onRecord: ((record: SinkRecord) => void) | undefined;
  let sub: Subscription | undefined;
  /** Event time of the oldest own event the buffer could not take; a catch-up from there is due. */
  let gapFrom: number | undefined;
  let catching: Promise<void> | undefined;
  /** After a failed catch-up (NATS away, say), the next waits this long instead of following every write. */
  let catchUpRetryAt = 0;
  let stopped = false;

  const sink = createEventSink({
    insert: (rows) => repo.insert(rows),
    batchSize: deps.batchSize,
    flushMs: deps.flushMs,
    maxBuffered: deps.maxBuffered,
    onStored: (rows) => {
      for (const row of rows) {
        stored.inc({ category: row.category });
        onRecord?.(rowToSinkRecord(row));
      }
      const left = sink.stats().buffered;
      buffered.set(left);
      // The buffer has room again: read back what it turned away meanwhile.
      if (gapFrom !== undefined && left < deps.batchSize && Date.now() >= catchUpRetryAt) {
        const from = gapFrom;
        gapFrom = undefined;
        catchUp(from - CATCH_UP_MARGIN_MS, 'buffer was full');
      }
    },
    onDropped: (row, total) => {
      dropped.inc({ category: row.category });
      if (total === 1 || total % DROP_LOG_EVERY === 0)
        log.warn(
          { dropped: total, type: row.type, cap: deps.maxBuffered },
          'event sink buffer full; dropping market data',
        );
    },
    onWriteError: (err, info) => {
      writeErrors.inc();
      buffered.set(sink.stats().buffered);
      log.warn({ err, ...info }, 'event sink write failed; retrying');
    },
  });

  // What a reconnecting WebSocket client resumes from: storage order is row order.
  const history: EventHistory = {
    position: (eventId) => repo.position(eventId),
    after: async (position, types, limit) =>
      (await repo.afterPosition(position, types, limit)).map(({ id, payload, ...record }) => ({
        position: id,
        record: { ...record, data: payload },
      })),
  };

  /**
   * Stores the own durable events the stream holds from `fromMs` on that are not stored yet (the
   * sink skips stored ones), in the background: the sink buffer is flushed as it fills, so a long
   * read never holds more than a few batches. On a bus without a stream (in memory) nothing
   * outlives the process, so there is nothing to read back.
   */
  function catchUp(fromMs: number, reason: string): void {
    const read = deps.bus.readDurable;
    if (!read || stopped) return;
    const previous = catching ?? Promise.resolve();
    catching = previous.then(async () => {
      const before = sink.stats().stored;
      try {
        const seen = await read.call(deps.bus, OWN_DURABLE_EVENTS, fromMs, async (env) => {
          if (env.replay === true || stopped) return;
          if (!sink.tap(env)) {
            await sink.flush();
            if (!sink.tap(env)) throw new Error('event sink buffer stays full');
          }
          if (sink.stats().buffered >= deps.batchSize) await sink.flush();
        });
        await sink.flush();
        const added = sink.stats().stored - before;
        caughtUp.inc(Math.max(0, added));
        log[added > 0 ? 'warn' : 'info'](
          { reason, from: new Date(fromMs).toISOString(), read: seen, stored: added },
          added > 0 ? 'stored own events the sink had missed' : 'own events all stored',
        );
      } catch (err) {
        // Tried again from the same point after a pause, on a write that leaves the buffer with room, or at the next start.
        gapFrom = Math.min(gapFrom ?? Infinity, fromMs + CATCH_UP_MARGIN_MS);
        catchUpRetryAt = Date.now() + CATCH_UP_RETRY_MS;
        log.warn({ err, reason, from: new Date(fromMs).toISOString() }, 'event sink catch-up failed');
      }
    });
  }

  return {
    repo,
    sink,
    retention,
    history,
    enabled: deps.enabled,
    /** The provider's own durable events as it emits them (see `EventSink.tap`). */
    tap(env: EventEnvelope): void {
      if (!deps.enabled || !onRecord) return;
      if (!sink.tap(env) && !stopped) gapFrom = Math.min(gapFrom ?? Infinity, env.timestamp);
    },
    async start(feed: (record: SinkRecord) => void): Promise<void> {
      // What an earlier run stored ages out even while the sink stores nothing new.
      retention.start();
      if (!deps.enabled) return;
      // Where the last run's stored own events end, read before this run stores any: what it
      // emitted after that and a crash kept from the sink is read back from the stream below.
      const newest = await repo.newestOf(OWN_DURABLE_EVENTS);
      onRecord = feed;
      sub = await subscribeEventSink({
        bus: deps.bus,
        sink,
        durable: deps.durable,
        onReplay: (env) => feed(toSinkRecord(env)),
        skip: OWN_DURABLE_EVENTS,
      });
      if (newest !== undefined) catchUp(newest - CATCH_UP_MARGIN_MS, 'start');
    },
    /** Resolves when no catch-up is running (for tests). */
    async caughtUp(): Promise<void> {
      while (catching) {
        const current = catching;
        await current;
        if (catching === current) catching = undefined;
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      await retention.stop();
      // A JetStream pull consumer can take until its pull expires (~30 s) to close; the sink does
      // not wait for that. A durable event still in flight is refused by the closed sink and redelivered.
      const closing = sub?.unsubscribe();
      sub = undefined;
      let timer: NodeJS.Timeout | undefined;
      const slow = await Promise.race([
        closing?.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), UNSUBSCRIBE_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (slow)
        log.warn({ waitedMs: UNSUBSCRIBE_WAIT_MS }, 'event sink subscription still closing; continuing shutdown');
      await catching?.catch(() => undefined);
      await sink.close();
      const left = sink.stats().buffered;
      if (left > 0) log.warn({ buffered: left }, 'event sink stopped with unwritten events');
    },
  };
}

export type EventSinkModule = ReturnType<typeof createEventSinkModule>;
