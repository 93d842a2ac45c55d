import type { Bus, Subscription } from '@barfinex/bus';
import type { EventEnvelope } from '@barfinex/events';
import type { Database, PrismaClient } from '@barfinex/db';
import type { Metrics } from '@barfinex/service-kit';
import type { Logger } from 'pino';
import type { EventHistory } from '../../ws/resume';
import type { SinkRecord } from '../../ws/sink-record';
import { toSinkRecord } from '../../ws/sink-record';
import { createEventSink } from './event-sink';
import { createEventSinkRepository } from './eventsink.repository';
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
}

const DROP_LOG_EVERY = 1_000;
const UNSUBSCRIBE_WAIT_MS = 2_000;

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
  let onRecord: ((record: SinkRecord) => void) | undefined;
  let sub: Subscription | undefined;

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
      buffered.set(sink.stats().buffered);
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

  return {
    repo,
    sink,
    history,
    enabled: deps.enabled,
    /** The provider's own durable events as it emits them (see `EventSink.tap`). */
    tap(env: EventEnvelope): void {
      if (deps.enabled && onRecord) sink.tap(env);
    },
    async start(feed: (record: SinkRecord) => void): Promise<void> {
      if (!deps.enabled) return;
      onRecord = feed;
      sub = await subscribeEventSink({
        bus: deps.bus,
        sink,
        durable: deps.durable,
        onReplay: (env) => feed(toSinkRecord(env)),
      });
    },
    async stop(): Promise<void> {
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
      await sink.close();
      const left = sink.stats().buffered;
      if (left > 0) log.warn({ buffered: left }, 'event sink stopped with unwritten events');
    },
  };
}

export type EventSinkModule = ReturnType<typeof createEventSinkModule>;
