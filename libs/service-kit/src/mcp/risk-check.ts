import { randomUUID } from 'node:crypto';
import { Money, OrderRiskCheckSchema, OrderRiskVerdictSchema, inspectorRoutes } from '@barfinex/contracts';
import type { OrderRiskCheck } from '@barfinex/contracts';
import type { RestCall } from './mcp-server';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One inspector's refusal of an agent's order, as the agent reads it. */
export interface RiskRefusal {
  inspector: string;
  policy: string;
  reason: string;
}

/** What the inspectors made of an order: their refusals, or the REST refusal of the agent's own token. */
export type RiskAnswer = { refusals: RiskRefusal[] } | { denied: { status: number; body: unknown } };

const TERM_FIELDS = ['symbol', 'side', 'type', 'quantity', 'price', 'stopPrice', 'connectorType', 'marketType'];
const DENIED = new Set([401, 403, 429]);

/** `POST /orders` takes the order bare or as `{ order }`: the fields themselves. */
export const orderFields = (body: unknown): Json | undefined =>
  isRecord(body) ? (isRecord(body['order']) && !('symbol' in body) ? body['order'] : body) : undefined;

/** The terms an inspector judges, picked from an order; undefined when they do not parse (the REST call then refuses the order itself). */
export function orderTerms(order: Json | undefined, extra: Json = {}): OrderRiskCheck | undefined {
  if (!order) return undefined;
  const picked = Object.fromEntries(TERM_FIELDS.filter((k) => order[k] !== undefined).map((k) => [k, order[k]]));
  const parsed = OrderRiskCheckSchema.safeParse({ ...picked, ...extra });
  return parsed.success ? parsed.data : undefined;
}

/** The order a cancel-replace would place: the working order's terms with the changes, what is still open unless a quantity is given. */
export function replacementTerms(
  current: unknown,
  changes: Json | undefined,
  extra: Json = {},
): OrderRiskCheck | undefined {
  if (!isRecord(current) || typeof current['quantity'] !== 'string') return undefined;
  const open = new Money(current['quantity']).minus(String(current['quantityExecuted'] ?? '0')).toFixed();
  return orderTerms({ ...current, quantity: open, ...changes }, extra);
}

/** A client order id for an agent's order that has none, so the inspectors' decision and the order share it. */
export const agentOrderId = (): string => `mcp-${randomUUID()}`;

/** `/inspectors/:appKey/risk/check` for one inspector, through its own mount as the proxy forwards it. */
const checkPath = (key: string): string =>
  inspectorRoutes.checkOrder.path.replace(':appKey', `${encodeURIComponent(key)}/inspector`);

/**
 * Each active inspector's judgement of an agent's order by its kill switch and every entry policy:
 * a dry run asks (`GET`, nothing recorded, `read`), a live order passes the gate (`POST`, the
 * decision recorded and a refusal announced, `trade`). An inspector that cannot answer refuses
 * the order: a risk gate that is down does not let orders through.
 */
export async function inspectorRefusals(
  call: RestCall,
  inspectors: readonly string[],
  order: OrderRiskCheck,
  live: boolean,
): Promise<RiskAnswer> {
  const refusals: RiskRefusal[] = [];
  for (const key of inspectors) {
    const answer = live
      ? await call({ method: 'post', path: checkPath(key), body: order })
      : await call({ method: 'get', path: checkPath(key), query: order });
    if (DENIED.has(answer.status)) return { denied: answer };
    const verdict = OrderRiskVerdictSchema.safeParse(answer.body);
    if (answer.status !== 200 || !verdict.success)
      refusals.push({
        inspector: key,
        policy: 'unavailable',
        reason: `inspector ${key} could not judge the order (status ${answer.status}): nothing is placed without its verdict`,
      });
    else if (!verdict.data.allowed)
      refusals.push({
        inspector: key,
        policy: verdict.data.policy ?? verdict.data.action,
        reason: `inspector ${key}: ${verdict.data.reason} (${verdict.data.policy ?? verdict.data.action})`,
      });
  }
  return { refusals };
}
