import { Dec as Decimal } from '../decimal';
import type { PolicyCheck, RiskCandidate, RiskPolicies, RiskSnapshot } from './types';
import { fmt } from './types';

/**
 * Per-symbol cap: the symbol's exposure after this entry may equal the cap but not exceed it.
 * The cap is the smaller of `maxPositionNotional` and `maxPositionPercent` of equity.
 */
export function checkPositionSize(s: RiskSnapshot, c: RiskCandidate, p: RiskPolicies): PolicyCheck {
  const after = (s.exposureBySymbol[c.symbol] ?? new Decimal(0)).plus(c.notional);
  const byPercent = s.equity.times(p.maxPositionPercent).div(100);
  const limit = p.maxPositionNotional === undefined ? byPercent : Decimal.min(byPercent, p.maxPositionNotional);
  const passed = after.lte(limit);
  return {
    policy: 'positionSize',
    passed,
    action: 'BLOCK',
    current: fmt(after),
    limit: fmt(limit),
    reason: passed
      ? `${c.symbol} position ${fmt(after)} within ${fmt(limit)}`
      : `${c.symbol} position would be ${fmt(after)}, above the per-symbol cap ${fmt(limit)}`,
  };
}
