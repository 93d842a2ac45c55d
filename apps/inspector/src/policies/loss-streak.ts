import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';
import { countCheck } from './types';

/** `maxConsecutiveLosses` losing trades in a row stand entries down until the day rolls or a reset. */
export function checkConsecutiveLosses(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const n = s.consecutiveLosses;
  const max = p.maxConsecutiveLosses;
  return countCheck('consecutiveLosses', 'STAND_DOWN', n, max, (hit) =>
    hit ? `${n} losses in a row reached the limit of ${max}` : `${n} losses in a row, limit ${max}`,
  );
}
