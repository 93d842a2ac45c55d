import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';

/** At most `maxTradesPerDay` entries per UTC day; the next one is throttled. */
export function checkTradesPerDay(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const max = p.maxTradesPerDay;
  const passed = max === 0 || s.tradesToday < max;
  return {
    policy: 'tradesPerDay',
    passed,
    action: 'THROTTLE',
    current: String(s.tradesToday),
    limit: String(max),
    reason: passed ? `${s.tradesToday} of ${max} trades today` : `${s.tradesToday} trades today reached the daily limit of ${max}`,
  };
}
