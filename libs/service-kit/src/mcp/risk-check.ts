import { Money } from '@barfinex/contracts';
import type { RestCall } from './mcp-server';

interface OrderTerms {
  symbol: string;
  connectorType: string;
  marketType: string;
  quantity: string;
  price?: string;
}

const isTerms = (v: unknown): v is OrderTerms => {
  const o = v as Partial<OrderTerms> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.symbol === 'string' &&
    typeof o.quantity === 'string' &&
    typeof o.connectorType === 'string' &&
    typeof o.marketType === 'string'
  );
};

/**
 * The inspectors' per-symbol position cap (`maxPositionNotional`) applied to an order a dry run
 * checked: its value at its price, or at the last price for a market order, against each active
 * inspector's cap. Answers the caps it would break; the inspector's other policies depend on its
 * live state (equity, streaks, the day's trades) and are applied when it gates an entry.
 */
export async function positionCapViolations(
  call: RestCall,
  inspectors: readonly string[],
  order: unknown,
): Promise<string[]> {
  if (!isTerms(order) || inspectors.length === 0) return [];
  let price = order.price;
  if (price === undefined) {
    const ticker = await call({
      method: 'get',
      path: `/symbols/${encodeURIComponent(order.connectorType)}/${encodeURIComponent(order.marketType)}/${encodeURIComponent(order.symbol)}/ticker`,
    });
    const last = (ticker.body as { c?: unknown } | null)?.c;
    if (ticker.status !== 200 || typeof last !== 'string') return [];
    price = last;
  }
  const notional = new Money(order.quantity).times(price);
  const out: string[] = [];
  for (const key of inspectors) {
    const res = await call({ method: 'get', path: `/inspectors/${encodeURIComponent(key)}/inspector/policies` });
    const cap = (res.body as { policies?: { maxPositionNotional?: unknown } } | null)?.policies?.maxPositionNotional;
    if (res.status === 200 && typeof cap === 'string' && notional.greaterThan(cap)) {
      out.push(
        `inspector ${key}: the order's value ${notional.toFixed()} exceeds its position cap ${cap} (maxPositionNotional)`,
      );
    }
  }
  return out;
}
