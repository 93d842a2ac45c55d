import {
  decodeReply,
  decodeRequest,
  encodeReplyFailure,
  encodeReplySuccess,
  encodeRequest,
  parseOptions,
} from './codec';
import { BusNoRespondersError, BusTimeoutError, asError } from './errors';
import { ReplyOptionsSchema, RequestOptionsSchema } from './types';
import type { Bus, BusErrorListener, ReplyHandler, Subscription } from './types';

interface Replier {
  handler: ReplyHandler;
}

/**
 * In-process request/reply with the NATS transport's semantics: JSON in and out (so a
 * non-serialisable value fails the same way), one replier per request in turn, a handler error
 * returned to the requester, no replier → BusNoRespondersError, no answer in time → BusTimeoutError.
 */
export function createMemoryRpc(deps: { report: BusErrorListener; defaultTimeoutMs: number }) {
  const repliers = new Map<string, Replier[]>();
  const turns = new Map<string, number>();

  const request = <T>(subject: string, data: unknown, rawOpts?: Parameters<Bus['request']>[2]): Promise<T> => {
    const timeoutMs = parseOptions(RequestOptionsSchema, rawOpts, 'request options').timeoutMs ?? deps.defaultTimeoutMs;
    const body = encodeRequest(data);
    const list = repliers.get(subject) ?? [];
    const turn = turns.get(subject) ?? 0;
    turns.set(subject, turn + 1);
    const replier = list[turn % Math.max(1, list.length)];
    if (replier === undefined) return Promise.reject(new BusNoRespondersError(subject));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new BusTimeoutError(subject, timeoutMs));
      }, timeoutMs);
      const answer = (text: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try {
          resolve(decodeReply<T>(subject, text));
        } catch (err) {
          reject(asError(err));
        }
      };
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => replier.handler(decodeRequest(body)))
          .then(
            (result) => answer(encodeReplySuccess(result)),
            (err: unknown) => answer(encodeReplyFailure(err)),
          )
          .catch((err: unknown) => {
            deps.report(asError(err), { phase: 'reply', subject });
            answer(encodeReplyFailure(err));
          });
      });
    });
  };

  const reply = (subject: string, handler: ReplyHandler, rawOpts?: Parameters<Bus['reply']>[2]): Subscription => {
    parseOptions(ReplyOptionsSchema, rawOpts, 'reply options');
    const replier: Replier = { handler };
    repliers.set(subject, [...(repliers.get(subject) ?? []), replier]);
    return {
      unsubscribe: async () => {
        repliers.set(
          subject,
          (repliers.get(subject) ?? []).filter((r) => r !== replier),
        );
      },
    };
  };

  return { request, reply, clear: () => repliers.clear() };
}
