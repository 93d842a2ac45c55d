import { randomUUID } from 'node:crypto';
import type { OrderRiskCheck, OrderRiskVerdict } from '@barfinex/contracts';
import { Dec } from '../decimal';
import type { AccountView } from '../orders/account';
import { decide, evaluateEntry } from '../policies/evaluate';
import type { RiskVerdict } from '../policies/evaluate';
import type { Auditor, EventMeta } from './auditor';
import { accountNumbers, fail, killSwitchVerdict } from './risk-gate';
import type { RiskGateDeps } from './risk-gate';
import type { RiskState } from './risk-state';

export interface OrderCheckDeps {
  state: RiskState;
  auditor: Auditor;
  market: {
    account: () => Promise<AccountView>;
    price: RiskGateDeps['market']['price'];
  };
  ctx: { now: () => number };
}

/**
 * Orders placed around the inspector (an agent's, through the provider's MCP server), judged by
 * the same kill switch and entry policies as the inspector's own entries, at the order's price (its
 * limit or stop price, else the last one). Every order counts as an entry: the provider cannot
 * tell whether it reduces a position, so an agent that must trade through a stop cancels instead.
 * The venue's filters and the account's balance are the provider's and the venue's to check.
 */
export function createOrderCheck(deps: OrderCheckDeps) {
  const { state, market, ctx } = deps;

  async function judge(order: OrderRiskCheck): Promise<{ verdict: RiskVerdict; numbers: Record<string, string> }> {
    const terms = { side: order.side, quantity: order.quantity, ...(order.actor ? { actor: order.actor } : {}) };
    const stopped = killSwitchVerdict(state);
    if (stopped) return { verdict: stopped, numbers: terms };
    const price = order.price ?? order.stopPrice ?? (await market.price(order).catch(() => undefined));
    if (!price) return { verdict: decide([fail('price', 'BLOCK', `no price for ${order.symbol}`)]), numbers: terms };
    const notional = new Dec(order.quantity).times(price);
    const snapshot = await state.snapshot(await market.account());
    const verdict = evaluateEntry(snapshot, { symbol: order.symbol, notional }, state.policies());
    const symbolExposure = (snapshot.exposureBySymbol[order.symbol] ?? new Dec(0)).toFixed();
    return {
      verdict,
      numbers: { ...accountNumbers(snapshot), symbolExposure, ...terms, price, notional: notional.toFixed() },
    };
  }

  const answer = (
    { verdict, numbers }: { verdict: RiskVerdict; numbers: Record<string, string> },
    recorded: boolean,
  ): OrderRiskVerdict => ({
    allowed: verdict.action === 'ALLOW',
    action: verdict.action,
    ...(verdict.decisive ? { policy: verdict.decisive.policy } : {}),
    reason: verdict.decisive?.reason ?? 'every policy passed',
    checks: verdict.checks,
    numbers,
    recorded,
  });

  return {
    /** A dry run: the verdict, nothing recorded or announced. */
    async check(order: OrderRiskCheck): Promise<OrderRiskVerdict> {
      return answer(await judge(order), false);
    },

    /**
     * An order about to be placed: the decision is recorded once per order and outcome (a retry
     * with the same answer adds nothing), and a refusal is logged and announced as
     * INSPECTOR_RISK_LIMIT_BREACH (the auditor's doing, as for every decision not to act).
     */
    async gate(order: OrderRiskCheck, m: EventMeta = {}): Promise<OrderRiskVerdict> {
      const judged = await judge(order);
      const { verdict } = judged;
      const orderId = order.clientOrderId ?? randomUUID();
      await deps.auditor.record(
        {
          dedupKey: `order:${orderId}:${verdict.action}:${verdict.decisive?.policy ?? ''}`,
          kind: 'order',
          action: verdict.action,
          ...(verdict.decisive ? { policy: verdict.decisive.policy } : {}),
          reason: verdict.decisive?.reason ?? 'every policy passed',
          symbol: order.symbol,
          requestId: orderId,
          ...(m.correlationId ? { correlationId: m.correlationId } : {}),
          numbers: judged.numbers,
          checks: verdict.checks,
          at: ctx.now(),
        },
        m,
      );
      return answer(judged, true);
    },
  };
}

export type OrderCheck = ReturnType<typeof createOrderCheck>;
