import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';
import { countCheck } from './types';

/** At most `maxTradesPerDay` entries per UTC day; the next one is throttled. */
export function checkTradesPerDay(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const n = s.tradesToday;
  const max = p.maxTradesPerDay;
  return countCheck('tradesPerDay', 'THROTTLE', n, max, (hit) =>
    hit ? `${n} trades today reached the daily limit of ${max}` : `${n} of ${max} trades today`,
  );
}
