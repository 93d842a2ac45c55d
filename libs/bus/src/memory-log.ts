import type { EventEnvelope, EventName } from '@barfinex/events';

/**
 * One event as it travels through the in-memory bus: routing tokens plus either the envelope
 * the bus validated on publish (`snapshot`, a private JSON-equivalent copy) or raw wire text.
 */
export interface MemoryDelivery {
  name: EventName;
  partition: number;
  symbolToken: string;
  /** Raw text put on a subject by publishRaw; empty when `snapshot` is set. */
  text: string;
  snapshot?: EventEnvelope;
  /** Set when the bus itself validated the event on publish; raw injections are checked on receive. */
  trusted: boolean;
  seq: number;
  env?: EventEnvelope;
}

/**
 * The retained log of one durable event name: what JetStream's stream is to the NATS transport.
 * Bounded; when it overflows the oldest entries go, as with a stream's limits.
 */
export class RetainedLog {
  private entries: MemoryDelivery[] = [];
  private start = 0;
  private nextSeq = 1;

  constructor(private readonly limit: number) {}

  /** The sequence the next appended entry will get: a new durable consumer starts here. */
  get tail(): number {
    return this.nextSeq;
  }

  append(delivery: Omit<MemoryDelivery, 'seq'>): MemoryDelivery {
    const entry = { ...delivery, seq: this.nextSeq };
    this.nextSeq += 1;
    this.entries.push(entry);
    if (this.entries.length - this.start > this.limit) this.start += 1;
    // Compact now and then rather than shifting the array on every append.
    if (this.start > this.limit) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
    return entry;
  }

  /** First entry at or after `seq` whose symbol token matches (any when `symbolToken` is undefined). */
  next(seq: number, symbolToken: string | undefined): { entry?: MemoryDelivery; skipped: number } {
    const first = this.entries[this.start];
    if (first === undefined) return { skipped: 0 };
    const skipped = seq < first.seq ? first.seq - seq : 0;
    for (let i = this.start + Math.max(0, seq - first.seq); i < this.entries.length; i += 1) {
      const entry = this.entries[i];
      if (entry !== undefined && (symbolToken === undefined || entry.symbolToken === symbolToken)) {
        return { entry, skipped };
      }
    }
    return { skipped };
  }
}
