import type { PolicyCheck, RiskCandidate, RiskPolicies, RiskSnapshot } from './types';
import { fmt } from './types';

/** Total exposure after this entry may equal `maxExposurePercent` of equity but not exceed it. */
export function checkTotalExposure(s: RiskSnapshot, c: RiskCandidate, p: RiskPolicies): PolicyCheck {
  const after = s.totalExposure.plus(c.notional);
  const limit = s.equity.times(p.maxExposurePercent).div(100);
  const passed = after.lte(limit);
  return {
    policy: 'totalExposure',
    passed,
    action: 'BLOCK',
    current: fmt(after),
    limit: fmt(limit),
    reason: passed
      ? `exposure ${fmt(after)} within ${fmt(limit)}`
      : `total exposure would be ${fmt(after)}, above ${fmt(limit)} (${p.maxExposurePercent}% of equity)`,
  };
}
