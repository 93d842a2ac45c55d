import { Dec as Decimal } from '../decimal';
import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';
import { fmt, pct } from './types';

/** Drawdown from peak equity in %; reaching the limit trips the kill switch (CLOSE_ALL). */
export function drawdownPercent(s: Pick<RiskSnapshot, 'equity' | 'peakEquity'>): Decimal {
  const peak = Decimal.max(s.peakEquity, s.equity);
  return Decimal.max(pct(peak.minus(s.equity), peak), 0);
}

export function checkDrawdown(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const dd = drawdownPercent(s);
  const limit = new Decimal(p.maxDrawdownPercent);
  const passed = limit.isZero() || dd.lt(limit);
  return {
    policy: 'maxDrawdown',
    passed,
    action: 'CLOSE_ALL',
    current: fmt(dd),
    limit: fmt(limit),
    reason: passed
      ? `drawdown ${fmt(dd)}% below ${fmt(limit)}%`
      : `drawdown ${fmt(dd)}% from peak equity ${fmt(s.peakEquity)} reached the ${fmt(limit)}% limit`,
  };
}
