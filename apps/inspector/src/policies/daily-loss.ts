import { Dec as Decimal } from '../decimal';
import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';
import { fmt, pct } from './types';

/**
 * Today's realised loss as % of the day's starting equity (equity minus today's PnL). Reaching
 * the limit stands new entries down until 00:00 UTC; exits are still managed.
 */
export function checkDailyLoss(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const loss = Decimal.max(s.dailyPnl.negated(), 0);
  const dayStart = s.equity.minus(s.dailyPnl);
  const current = pct(loss, dayStart);
  const limit = new Decimal(p.maxDailyLossPercent);
  const passed = limit.isZero() || current.lt(limit);
  return {
    policy: 'dailyLoss',
    passed,
    action: 'STAND_DOWN',
    current: fmt(current),
    limit: fmt(limit),
    reason: passed
      ? `daily loss ${fmt(current)}% below ${fmt(limit)}%`
      : `daily loss ${fmt(loss)} is ${fmt(current)}% of the day's equity, at or above ${fmt(limit)}%`,
  };
}
