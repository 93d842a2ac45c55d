import { ErrorCode, NatsError, createInbox, headers } from 'nats';
import type { Msg, NatsConnection } from 'nats';
import { MSG_ID_HEADER } from './own-envelopes';

/**
 * JetStream publishes with one reply subscription for all of them. A JetStream publish is a core
 * publish with a reply subject; the stream answers there with a PubAck (`{ stream, seq,
 * duplicate? }`, or `{ error: { code, err_code, description } }`), and the server answers a
 * subject no stream listens on with a 503 status message (no responders). See "JetStream wire API
 * reference" (docs.nats.io/reference/reference-protocols/nats_api_reference) and ADR-1
 * (github.com/nats-io/nats-architecture-and-design, adr/ADR-1.md, "Publish").
 *
 * nats.js's `js.publish` does the same through a request per message: a muxed request object, a
 * timer and a promise chain each, and an Error built (with its stack trace) for every request that
 * succeeds. Five durable events per order made that a measurable share of an order's CPU. Errors
 * keep nats.js's codes (`ErrorCode.Timeout`, `ErrorCode.NoResponders`), so callers retry alike.
 *
 * Publishes wait for the end of the event loop's turn (setImmediate) and go out together: nats.js
 * writes what was queued in one synchronous stretch with one socket write, and on this machine a
 * socket write costs more than anything else a publish does. Concurrent orders share them.
 */
export interface JetStreamPublisher {
  /** Resolves once the stream stored the message (or knew its msg id already: a duplicate). */
  publish(subject: string, data: string, msgID: string, timeoutMs: number): Promise<void>;
  /** Messages waiting for their acknowledgement. */
  readonly pending: number;
}

interface Waiting {
  resolve: () => void;
  reject: (err: Error) => void;
  deadline: number;
}

interface Outgoing {
  subject: string;
  data: string;
  msgID: string;
  token: string;
  waiting: Waiting;
}

const SWEEP_MS = 100;

export function createJetStreamPublisher(
  nc: NatsConnection,
  clock: { now: () => number } = { now: Date.now },
): JetStreamPublisher {
  const prefix = createInbox();
  const waiting = new Map<string, Waiting>();
  let seq = 0;
  let sweeper: NodeJS.Timeout | undefined;
  let outgoing: Outgoing[] = [];

  const settle = (msg: Msg, w: Waiting): void => {
    // A status message (no payload): 503 when no stream captures the subject.
    if (msg.headers?.hasError) {
      w.reject(
        msg.headers.code === 503
          ? NatsError.errorForCode(ErrorCode.NoResponders)
          : new NatsError(`${msg.headers.code} ${msg.headers.description}`, ErrorCode.JetStreamInvalidAck),
      );
      return;
    }
    let ack: { stream?: unknown; error?: { code?: number; err_code?: number; description?: string } };
    try {
      ack = JSON.parse(msg.string()) as typeof ack;
    } catch {
      w.reject(NatsError.errorForCode(ErrorCode.JetStreamInvalidAck));
      return;
    }
    if (ack.error !== undefined) {
      const err = new NatsError(ack.error.description ?? 'JetStream error', String(ack.error.code ?? 500));
      err.api_error = {
        code: ack.error.code ?? 500,
        err_code: ack.error.err_code ?? 0,
        description: ack.error.description ?? '',
      };
      w.reject(err);
      return;
    }
    if (typeof ack.stream !== 'string' || ack.stream === '') {
      w.reject(NatsError.errorForCode(ErrorCode.JetStreamInvalidAck));
      return;
    }
    w.resolve();
  };

  nc.subscribe(`${prefix}.*`, {
    callback: (err, msg) => {
      if (err !== null) return;
      const token = msg.subject.slice(prefix.length + 1);
      const w = waiting.get(token);
      if (w === undefined) return;
      waiting.delete(token);
      settle(msg, w);
    },
  });

  // A closed connection answers nothing more: what still waits fails now, not at its deadline.
  void nc.closed().then(() => {
    for (const w of waiting.values()) w.reject(NatsError.errorForCode(ErrorCode.ConnectionClosed));
    waiting.clear();
  });

  // One timer for every waiting publish, not one each; running only while something waits.
  const sweep = (): void => {
    const now = clock.now();
    for (const [token, w] of waiting) {
      if (w.deadline > now) continue;
      waiting.delete(token);
      w.reject(NatsError.errorForCode(ErrorCode.Timeout));
    }
    if (waiting.size === 0 && sweeper !== undefined) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  const send = (): void => {
    const batch = outgoing;
    outgoing = [];
    for (const o of batch) {
      const h = headers();
      h.set(MSG_ID_HEADER, o.msgID);
      try {
        nc.publish(o.subject, o.data, { reply: `${prefix}.${o.token}`, headers: h });
      } catch (err) {
        o.waiting.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      waiting.set(o.token, o.waiting);
    }
    if (sweeper === undefined && waiting.size > 0) {
      sweeper = setInterval(sweep, SWEEP_MS);
      sweeper.unref();
    }
  };

  return {
    get pending() {
      return waiting.size + outgoing.length;
    },
    publish(subject, data, msgID, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const token = (seq++).toString(36);
        if (outgoing.length === 0) setImmediate(send);
        outgoing.push({ subject, data, msgID, token, waiting: { resolve, reject, deadline: clock.now() + timeoutMs } });
      });
    },
  };
}
