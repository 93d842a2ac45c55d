import type { Order, OrderCreateInput } from '@barfinex/contracts';
import { isAmbiguousFailure, isUnreachable } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import { isAppError } from '@barfinex/service-kit';

export type OrderRequest = OrderCreateInput & { clientOrderId: string };

/**
 * placed: the provider holds the order (first send, or found by its clientOrderId);
 * rejected: a definitive refusal (4xx) — nothing exists; unknown: the outcome could not be
 * learned yet — the caller keeps the id and reconciles later, it never sends blindly again.
 */
export type SubmitResult =
  | { kind: 'placed'; order: Order }
  | { kind: 'rejected'; code: string; message: string; reason?: string }
  | { kind: 'unknown'; message: string };

export type Lookup = { kind: 'found'; order: Order } | { kind: 'missing' } | { kind: 'unknown'; message: string };

const reasonOf = (details: unknown): string | undefined => {
  const reason = typeof details === 'object' && details !== null ? (details as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' ? reason : undefined;
};
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Order placement with the ambiguous-outcome rule: reconcile by clientOrderId, never re-send blind. */
export function createOrderGateway(provider: ProviderClient) {
  async function lookup(clientOrderId: string): Promise<Lookup> {
    try {
      return { kind: 'found', order: await provider.orders.get(clientOrderId) };
    } catch (err) {
      if (isAppError(err) && err.code === 'NOT_FOUND') return { kind: 'missing' };
      return { kind: 'unknown', message: messageOf(err) };
    }
  }

  async function send(req: OrderRequest): Promise<SubmitResult> {
    try {
      return { kind: 'placed', order: await provider.orders.create(req) };
    } catch (err) {
      if (isUnreachable(err)) return { kind: 'unknown', message: messageOf(err) };
      if (!isAmbiguousFailure(err) && isAppError(err)) {
        return {
          kind: 'rejected',
          code: err.code,
          message: err.message,
          ...(reasonOf(err.details) ? { reason: reasonOf(err.details) } : {}),
        };
      }
      return { kind: 'unknown', message: messageOf(err) };
    }
  }

  /**
   * Sends once; after an ambiguous failure looks the order up by its clientOrderId. Only a
   * definite "not there" (the provider stores the order before it reaches the venue) allows
   * one more send, with the same id, which the provider deduplicates anyway.
   */
  async function submit(req: OrderRequest): Promise<SubmitResult> {
    const first = await send(req);
    if (first.kind !== 'unknown') return first;
    const found = await lookup(req.clientOrderId);
    if (found.kind === 'found') return { kind: 'placed', order: found.order };
    if (found.kind === 'unknown') return { kind: 'unknown', message: `${first.message}; lookup: ${found.message}` };
    return send(req);
  }

  /** Cancels by clientOrderId; an order that is already final (or unknown) is returned as it is. */
  async function cancel(clientOrderId: string): Promise<Lookup> {
    try {
      return { kind: 'found', order: await provider.orders.close(clientOrderId) };
    } catch (err) {
      if (isAppError(err) && (err.code === 'CONFLICT' || err.code === 'NOT_FOUND')) return lookup(clientOrderId);
      return { kind: 'unknown', message: messageOf(err) };
    }
  }

  return { submit, lookup, cancel };
}

export type OrderGateway = ReturnType<typeof createOrderGateway>;
