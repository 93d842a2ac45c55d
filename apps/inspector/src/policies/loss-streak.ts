import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';

/** `maxConsecutiveLosses` losing trades in a row stand entries down until the day rolls or a reset. */
export function checkConsecutiveLosses(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const max = p.maxConsecutiveLosses;
  const passed = max === 0 || s.consecutiveLosses < max;
  return {
    policy: 'consecutiveLosses',
    passed,
    action: 'STAND_DOWN',
    current: String(s.consecutiveLosses),
    limit: String(max),
    reason: passed ? `${s.consecutiveLosses} losses in a row, limit ${max}` : `${s.consecutiveLosses} losses in a row reached the limit of ${max}`,
  };
}
