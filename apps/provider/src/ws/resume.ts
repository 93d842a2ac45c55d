import { z } from 'zod';
import { SubscribeSchema } from './rooms';
import type { SinkRecord } from './sink-record';

/** One stored event and where it sits in storage order. */
export interface StoredEvent {
  position: number;
  record: SinkRecord;
}

/** What the bridge reads from the event sink to bring a reconnecting client up to date. */
export interface EventHistory {
  /** Storage position of an event; undefined when it is not stored (unknown, or a replayed event). */
  position(eventId: string): Promise<number | undefined>;
  /** Stored events after a position, oldest first; only these types when given. */
  after(position: number, types: readonly string[] | undefined, limit: number): Promise<StoredEvent[]>;
}

/** `resume`: the subscriptions of a (re)connected client and the last event it saw, if any. */
export const ResumeSchema = z.object({
  after: z.string().min(1).max(200).nullable().optional(),
  subscriptions: z.array(SubscribeSchema).max(100).default([]),
  all: z.boolean().optional(),
});
export type ResumeRequest = z.infer<typeof ResumeSchema>;

export type ResumeGap = 'UNKNOWN_EVENT' | 'LIMIT' | 'UNAVAILABLE';

export interface ReplayResult {
  replayed: number;
  /** False when the client may have missed something: the reason says why. */
  complete: boolean;
  reason?: ResumeGap;
  /** eventIds already sent, so the live events held back meanwhile are not sent twice. */
  sent: Set<string>;
}

export interface ReplayOptions {
  history: EventHistory;
  after: string;
  types: readonly string[] | undefined;
  matches(record: SinkRecord): boolean;
  emit(record: SinkRecord): void;
  pageSize: number;
  maxEvents: number;
  /** False once the client is gone: the replay stops. */
  alive(): boolean;
  /** Resolves when the client has taken what was sent so far (backpressure between pages). */
  drained(): Promise<void>;
}

/** Sends a client the stored events after `after` that match its subscriptions, page by page, at most `maxEvents`. */
export async function replayAfter(o: ReplayOptions): Promise<ReplayResult> {
  const sent = new Set<string>();
  let cursor = await o.history.position(o.after);
  if (cursor === undefined) return { replayed: 0, complete: false, reason: 'UNKNOWN_EVENT', sent };
  for (;;) {
    const page = await o.history.after(cursor, o.types, o.pageSize);
    if (!o.alive()) return { replayed: sent.size, complete: false, sent };
    for (const { position, record } of page) {
      cursor = position;
      if (!o.matches(record) || sent.has(record.eventId)) continue;
      if (sent.size >= o.maxEvents) return { replayed: sent.size, complete: false, reason: 'LIMIT', sent };
      o.emit(record);
      sent.add(record.eventId);
    }
    if (page.length < o.pageSize) return { replayed: sent.size, complete: true, sent };
    await o.drained();
  }
}

/** The last `capacity` eventIds seen: a namespace that shows each event once checks it before emitting. */
export class RecentIds {
  private readonly ids = new Set<string>();
  private readonly order: string[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  /** True the first time an id is offered (and remembers it), false for a repeat. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    if (this.order.length < this.capacity) this.order.push(id);
    else {
      const evicted = this.order[this.next];
      if (evicted !== undefined) this.ids.delete(evicted);
      this.order[this.next] = id;
      this.next = (this.next + 1) % this.capacity;
    }
    this.ids.add(id);
    return true;
  }
}

interface Gate {
  matches(record: SinkRecord): boolean;
  held: SinkRecord[];
  overflow: boolean;
}

/**
 * Stored events that arrive for a client while its replay runs are held here, then sent after
 * the replay (minus the ones it already sent), so the switch to live has no gap and no repeat.
 */
export class LiveGates {
  private readonly gates = new Map<string, Gate>();

  constructor(private readonly maxHeld: number) {}

  get size(): number {
    return this.gates.size;
  }

  hold(record: SinkRecord): void {
    for (const gate of this.gates.values()) {
      if (gate.overflow || !gate.matches(record)) continue;
      if (gate.held.length >= this.maxHeld) gate.overflow = true;
      else gate.held.push(record);
    }
  }

  /**
   * Replays, then sends what was held and calls `goLive` in the same tick, so no stored event
   * can fall between the two. A client that fell too far behind meanwhile is left to `onOverflow`.
   */
  async resume(id: string, o: ReplayOptions & { goLive(): void; onOverflow(): void }): Promise<ReplayResult> {
    const gate: Gate = { matches: o.matches, held: [], overflow: false };
    this.gates.set(id, gate);
    try {
      const result = await replayAfter(o);
      if (!o.alive()) return result;
      if (gate.overflow) {
        o.onOverflow();
        return { ...result, complete: false, reason: 'LIMIT' };
      }
      for (const record of gate.held) {
        if (result.sent.has(record.eventId)) continue;
        result.sent.add(record.eventId);
        o.emit(record);
      }
      o.goLive();
      return result;
    } finally {
      this.gates.delete(id);
    }
  }
}
