import { z } from 'zod';
import { EVENT_NAMES, isEventName, parseEnvelope } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { BusError, BusErrorCode, BusRemoteError, errorMessage } from './errors';
import { SubscribeOptionsSchema, type SubscribeOptions } from './types';

export type ParsedSubscribeOptions = z.output<typeof SubscribeOptionsSchema>;

export function parseSubscribeOptions(opts: SubscribeOptions | undefined): ParsedSubscribeOptions {
  const result = SubscribeOptionsSchema.safeParse(opts ?? {});
  if (!result.success) {
    throw new BusError(
      BusErrorCode.invalidOptions,
      `invalid subscribe options: ${result.error.issues.map((i) => i.message).join('; ')}`,
      {
        details: result.error.issues,
      },
    );
  }
  return result.data;
}

export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new BusError(
      BusErrorCode.invalidOptions,
      `invalid ${what}: ${result.error.issues.map((i) => i.message).join('; ')}`,
      {
        details: result.error.issues,
      },
    );
  }
  return result.data;
}

/** Deduplicated, validated event names; the empty list and unknown names are caller bugs. */
export function normaliseNames<N extends EventName>(names: N | readonly N[]): N[] {
  const list = (typeof names === 'string' ? [names] : [...names]) as N[];
  if (list.length === 0) throw new BusError(BusErrorCode.invalidOptions, 'subscribe needs at least one event name');
  for (const name of list) {
    if (typeof name !== 'string' || !isEventName(name)) {
      throw new BusError(BusErrorCode.invalidOptions, `unknown event name "${String(name)}"`);
    }
  }
  return [...new Set(list)];
}

export function allEventNames(): EventName[] {
  return [...EVENT_NAMES];
}

/**
 * Parses and validates a received message. `expected` is the event the subject belongs to; an
 * envelope of another type on it (or another symbol on a symbol subject) is treated as garbage.
 */
export function decodeEnvelope(text: string, expected: EventName, symbol: string | undefined): EventEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BusError(BusErrorCode.invalidMessage, `message on ${expected} is not JSON: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  const env = parseEnvelope(raw);
  if (env.type !== expected) {
    throw new BusError(BusErrorCode.invalidMessage, `a ${env.type} envelope arrived on the ${expected} subject`);
  }
  if (symbol !== undefined && env.symbol !== symbol) {
    throw new BusError(
      BusErrorCode.invalidMessage,
      `an envelope for symbol ${String(env.symbol)} arrived on the ${symbol} subject`,
    );
  }
  return env;
}

// Request/reply wire format: the replier always answers with one of these, so a handler's error
// reaches the requester as an error instead of a timeout.
export const ReplyWireSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ message: z.string(), code: z.string().optional() }) }),
]);
export type ReplyWire = z.infer<typeof ReplyWireSchema>;

export function encodeRequest(data: unknown): string {
  return JSON.stringify(data === undefined ? null : data);
}

export function decodeRequest(text: string): unknown {
  return text === '' ? null : JSON.parse(text);
}

export function encodeReplySuccess(data: unknown): string {
  return JSON.stringify({ ok: true, data });
}

export function encodeReplyFailure(err: unknown): string {
  const code =
    typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
      ? (err as { code: string }).code
      : undefined;
  return JSON.stringify({ ok: false, error: { message: errorMessage(err), ...(code === undefined ? {} : { code }) } });
}

export function decodeReply<T>(subject: string, text: string): T {
  let parsed: ReplyWire;
  try {
    parsed = ReplyWireSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new BusError(BusErrorCode.invalidMessage, `malformed reply on "${subject}"`, { cause: err });
  }
  if (!parsed.ok) throw new BusRemoteError(subject, parsed.error.message, parsed.error.code);
  return parsed.data as T;
}
