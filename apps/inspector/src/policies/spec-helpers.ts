import { Dec as Decimal } from '../decimal';
import { RiskPoliciesSchema } from './types';
import type { RiskPolicies, RiskPoliciesInput, RiskSnapshot } from './types';

// 2024-06-03 (a Monday) 12:00:00 UTC.
export const NOON = Date.UTC(2024, 5, 3, 12, 0, 0);

export function snapshot(
  over: Partial<Omit<RiskSnapshot, 'exposureBySymbol'>> & { exposure?: Record<string, string> } = {},
): RiskSnapshot {
  const { exposure = {}, ...rest } = over;
  const exposureBySymbol = Object.fromEntries(Object.entries(exposure).map(([k, v]) => [k, new Decimal(v)]));
  const totalExposure = Object.values(exposureBySymbol).reduce((a, b) => a.plus(b), new Decimal(0));
  return {
    now: NOON,
    equity: new Decimal('10000'),
    peakEquity: new Decimal('10000'),
    dailyPnl: new Decimal(0),
    exposureBySymbol,
    totalExposure,
    consecutiveLosses: 0,
    tradesToday: 0,
    ...rest,
  };
}

export const policies = (over: RiskPoliciesInput = {}): RiskPolicies => RiskPoliciesSchema.parse(over);
export const d = (v: string) => new Decimal(v);
