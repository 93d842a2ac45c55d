import { ErrorCode, NatsError } from 'nats';
import type { NatsConnection, Subscription as NatsSub } from 'nats';
import {
  decodeReply,
  decodeRequest,
  encodeReplyFailure,
  encodeReplySuccess,
  encodeRequest,
  parseOptions,
} from './codec';
import { BusNoRespondersError, BusTimeoutError } from './errors';
import { ReplyOptionsSchema, RequestOptionsSchema } from './types';
import type { Bus, BusErrorListener, ReplyHandler, Subscription } from './types';

/** Request/reply over core NATS with the bus's JSON wire format and typed errors. */
export function createNatsRpc(deps: { nc: NatsConnection; report: BusErrorListener; defaultTimeoutMs: number }) {
  const { nc, report } = deps;
  const repliers = new Set<{ sub: NatsSub; inflight: Set<Promise<void>> }>();

  const request = async <T>(subject: string, data: unknown, rawOpts?: Parameters<Bus['request']>[2]): Promise<T> => {
    const timeoutMs = parseOptions(RequestOptionsSchema, rawOpts, 'request options').timeoutMs ?? deps.defaultTimeoutMs;
    let reply;
    try {
      reply = await nc.request(subject, encodeRequest(data), { timeout: timeoutMs });
    } catch (err) {
      if (err instanceof NatsError && err.code === ErrorCode.NoResponders) throw new BusNoRespondersError(subject);
      if (err instanceof NatsError && err.code === ErrorCode.Timeout) throw new BusTimeoutError(subject, timeoutMs);
      throw err;
    }
    return decodeReply<T>(subject, reply.string());
  };

  const reply = (subject: string, handler: ReplyHandler, rawOpts?: Parameters<Bus['reply']>[2]): Subscription => {
    const opts = parseOptions(ReplyOptionsSchema, rawOpts, 'reply options');
    const inflight = new Set<Promise<void>>();
    // Replies run concurrently: one slow request must not hold up the others.
    const sub = nc.subscribe(subject, {
      ...(opts.queue === undefined ? {} : { queue: opts.queue }),
      callback: (err, msg) => {
        if (err !== null) {
          report(err, { phase: 'reply', subject });
          return;
        }
        const work = Promise.resolve()
          .then(() => handler(decodeRequest(msg.string())))
          .then(
            (result) => encodeReplySuccess(result),
            (failure: unknown) => encodeReplyFailure(failure),
          )
          .catch((failure: unknown) => encodeReplyFailure(failure))
          .then((text) => {
            if (!msg.respond(text))
              report(new Error(`request on "${subject}" had no reply subject`), { phase: 'reply', subject });
          })
          .finally(() => inflight.delete(work));
        inflight.add(work);
      },
    });
    const entry = { sub, inflight };
    repliers.add(entry);
    return {
      unsubscribe: async () => {
        repliers.delete(entry);
        sub.unsubscribe();
        await Promise.all(inflight);
      },
    };
  };

  /** Stops every replier and waits for the replies being computed. */
  const close = async (): Promise<void> => {
    for (const r of repliers) r.sub.unsubscribe();
    await Promise.all([...repliers].flatMap((r) => [...r.inflight]));
  };

  return { request, reply, close };
}
