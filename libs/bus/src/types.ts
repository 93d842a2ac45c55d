import { z } from 'zod';
import type { EventEnvelope, EventMeta, EventName, EventPayloadInput } from '@barfinex/events';
import { VIRTUAL_PARTITIONS } from './subjects';

const TOKEN = /^[A-Za-z0-9_-]+$/;

export const PartitionSchema = z
  .object({
    index: z.number().int().min(0),
    count: z.number().int().min(1).max(VIRTUAL_PARTITIONS),
  })
  .refine((p) => p.index < p.count, { message: 'partition.index must be below partition.count' });

export const SubscribeOptionsSchema = z
  .object({
    /** Only this symbol's events (server-side filter). */
    symbol: z.string().min(1).optional(),
    /** Round-robin load sharing among members with the same queue name: stateless consumers only. */
    queue: z.string().regex(TOKEN, 'queue names use letters, digits, _ and -').optional(),
    /** Every symbol always reaches exactly one of `count` members, stable across restarts. */
    partition: PartitionSchema.optional(),
    /** Named durable consumer: durable events published while it was down are delivered later. */
    durable: z.string().regex(TOKEN, 'durable names use letters, digits, _ and -').max(100).optional(),
  })
  .strict()
  .refine((o) => !(o.symbol !== undefined && o.partition !== undefined), {
    message: 'symbol and partition are mutually exclusive',
  })
  .refine((o) => !(o.durable !== undefined && o.partition !== undefined), {
    message: 'durable and partition cannot be combined: give each partition member its own non-durable subscription',
  });
export type SubscribeOptions = z.input<typeof SubscribeOptionsSchema>;

export const RequestOptionsSchema = z.object({ timeoutMs: z.number().int().positive().optional() }).strict();
export type RequestOptions = z.input<typeof RequestOptionsSchema>;

export const ReplyOptionsSchema = z
  .object({ queue: z.string().regex(TOKEN, 'queue names use letters, digits, _ and -').optional() })
  .strict();
export type ReplyOptions = z.input<typeof ReplyOptionsSchema>;

export interface Subscription {
  /** Stops intake, lets already-received messages finish, then resolves. */
  unsubscribe(): Promise<void>;
}

export interface PublishEnvelopeOptions {
  /** The envelope comes straight from `createEnvelope` / `parseEnvelope`: not validated a second time. */
  validated?: boolean;
}

export type EventHandler<N extends EventName> = (env: EventEnvelope<N>) => void | Promise<void>;
export type ReplyHandler = (data: unknown) => unknown;

export const BusTransport = { nats: 'nats', memory: 'memory' } as const;
export type BusTransport = (typeof BusTransport)[keyof typeof BusTransport];

export interface BusStatus {
  transport: BusTransport;
  connected: boolean;
  server?: string;
  reconnects: number;
  published: number;
  received: number;
  /** Non-durable events published while disconnected (NATS drops them; nothing to replay). */
  dropped: number;
  /** Durable events waiting for the connection to come back. */
  pendingDurable: number;
  lastError?: string;
}

/** A flip of the connection, sent once per change (not per retry) and never for `close()`. */
export interface BusConnectionChange {
  connected: boolean;
  /** The bus's status right after the change. */
  status: BusStatus;
}
export type BusConnectionListener = (change: BusConnectionChange) => void;

export const BusErrorPhase = {
  receive: 'receive',
  handler: 'handler',
  reply: 'reply',
  publish: 'publish',
  connection: 'connection',
} as const;
export type BusErrorPhase = (typeof BusErrorPhase)[keyof typeof BusErrorPhase];

export interface BusErrorContext {
  phase: BusErrorPhase;
  subject?: string;
  eventName?: string;
  eventId?: string;
  /** For durable handler failures: which delivery attempt failed (1-based). */
  attempt?: number;
}

/** Libraries don't log: every problem the bus absorbs is reported here. */
export type BusErrorListener = (err: Error, context: BusErrorContext) => void;

export interface Bus {
  publish<N extends EventName>(name: N, payload: EventPayloadInput<N>, meta?: EventMeta): Promise<EventEnvelope<N>>;
  /**
   * Forwarding and replay: the envelope is validated again and sent unchanged, unless
   * `validated` says it was just built by `createEnvelope` or read by `parseEnvelope` in this
   * process (a publisher that builds its envelopes itself, to keep their eventIds).
   */
  publishEnvelope(env: EventEnvelope, opts?: PublishEnvelopeOptions): Promise<void>;
  subscribe<N extends EventName>(
    name: N | readonly N[],
    handler: EventHandler<N>,
    opts?: SubscribeOptions,
  ): Promise<Subscription>;
  subscribeAll(handler: EventHandler<EventName>, opts?: SubscribeOptions): Promise<Subscription>;
  request<T = unknown>(subject: string, data: unknown, opts?: RequestOptions): Promise<T>;
  reply(subject: string, handler: ReplyHandler, opts?: ReplyOptions): Promise<Subscription>;
  status(): BusStatus;
  /**
   * Hears each loss and return of the connection (the memory bus never loses it). Libraries don't
   * log: the app decides what a change is worth. Returns the function that stops listening.
   */
  watchConnection(listener: BusConnectionListener): () => void;
  /** Drains subscriptions (running handlers finish) and releases the connection. */
  close(): Promise<void>;
  /**
   * Reads back what the durable stream holds of these events from `fromMs` (the server's receive
   * time) up to its end as of the call, each event's messages oldest first, one at a time to
   * `handler`; resolves with how many it read. No subscription is involved and nothing is
   * acknowledged: a process that stores its own events as it emits them uses it to fill what a
   * crash kept from being stored. Absent on transports without a stream (the memory bus).
   */
  readDurable?(
    names: readonly EventName[],
    fromMs: number,
    handler: (env: EventEnvelope) => void | Promise<void>,
  ): Promise<number>;
}
