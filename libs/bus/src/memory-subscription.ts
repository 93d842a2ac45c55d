import type { EventEnvelope, EventName } from '@barfinex/events';
import { asError } from './errors';
import type { ParsedSubscribeOptions } from './codec';
import type { MemoryDelivery } from './memory-log';
import { SerialQueue, invokeHandler } from './serial-queue';
import { ownsPartition, symbolToken } from './subjects';
import type { BusErrorListener, EventHandler } from './types';

/** A named durable cursor over one event's retained log (a JetStream durable consumer's twin). */
export interface DurableConsumer {
  key: string;
  name: EventName;
  symbolToken: string | undefined;
  cursor: number;
  members: MemorySubscription[];
  inFlight: boolean;
}

export type MemoryItem =
  | { kind: 'core'; delivery: MemoryDelivery }
  | { kind: 'durable'; delivery: MemoryDelivery; attempt: number; consumer: DurableConsumer };

export interface MemorySubscriptionDeps {
  handler: EventHandler<EventName>;
  opts: ParsedSubscribeOptions;
  coreNames: EventName[];
  maxDeliver: number;
  report: BusErrorListener;
  decode: (delivery: MemoryDelivery) => EventEnvelope;
  onReceived: () => void;
  ack: (consumer: DurableConsumer, seq: number) => void;
}

export class MemorySubscription {
  active = true;
  readonly consumers: DurableConsumer[] = [];
  readonly queue: string | undefined;
  private readonly token: string | undefined;
  private readonly items: SerialQueue<MemoryItem>;

  constructor(private readonly deps: MemorySubscriptionDeps) {
    this.queue = deps.opts.queue;
    this.token = deps.opts.symbol === undefined ? undefined : symbolToken(deps.opts.symbol);
    this.items = new SerialQueue((item) => this.step(item));
  }

  /** Same filter the NATS transport expresses as subjects. */
  matches(partition: number, token: string): boolean {
    if (this.token !== undefined) return token === this.token;
    const p = this.deps.opts.partition;
    return p === undefined || ownsPartition(partition, p);
  }

  push(item: MemoryItem): void {
    this.items.push(item);
  }

  drained(): Promise<void> {
    return this.items.idle();
  }

  private step(item: MemoryItem): void | Promise<void> {
    const { delivery } = item;
    let env: EventEnvelope;
    try {
      env = this.deps.decode(delivery);
    } catch (err) {
      this.deps.report(asError(err), { phase: 'receive', eventName: delivery.name });
      if (item.kind === 'durable') this.deps.ack(item.consumer, delivery.seq);
      return;
    }
    this.deps.onReceived();
    const context = { phase: 'handler' as const, eventName: delivery.name, eventId: env.eventId };
    if (item.kind === 'core') {
      return invokeHandler(this.deps.handler, env, (err) => this.deps.report(asError(err), context));
    }
    return invokeHandler(
      this.deps.handler,
      env,
      (err) => {
        this.deps.report(asError(err), { ...context, attempt: item.attempt });
        // Redelivered right away: one durable message is in flight per consumer, so order holds.
        if (item.attempt < this.deps.maxDeliver) this.items.push({ ...item, attempt: item.attempt + 1 });
        else this.deps.ack(item.consumer, delivery.seq);
      },
      () => this.deps.ack(item.consumer, delivery.seq),
    );
  }
}
