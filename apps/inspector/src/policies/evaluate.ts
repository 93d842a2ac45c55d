import type { RiskAction } from '@barfinex/contracts';
import { checkCooldown } from './cooldown';
import { checkDailyLoss } from './daily-loss';
import { checkDrawdown } from './drawdown';
import { checkTotalExposure } from './exposure';
import { checkConsecutiveLosses } from './loss-streak';
import { checkPositionSize } from './position-size';
import { checkNoTradeWindows } from './time-windows';
import { checkTradesPerDay } from './trades-per-day';
import type { PolicyCheck, RiskCandidate, RiskPolicies, RiskSnapshot } from './types';

const SEVERITY: Record<RiskAction, number> = { ALLOW: 0, THROTTLE: 1, BLOCK: 2, STAND_DOWN: 3, CLOSE_ALL: 4 };

export interface RiskVerdict {
  action: RiskAction;
  /** The failing check that decided the action (the most severe; the first listed among equals). */
  decisive?: PolicyCheck;
  /** Every policy's numbers, passed or not, for the audit trail. */
  checks: PolicyCheck[];
}

/** Runs every policy against one entry; account-wide policies first, so their numbers lead the audit. */
export function evaluateEntry(s: RiskSnapshot, c: RiskCandidate, p: RiskPolicies): RiskVerdict {
  const checks = [
    checkDrawdown(s, p),
    checkDailyLoss(s, p),
    checkConsecutiveLosses(s, p),
    checkNoTradeWindows(s, p),
    checkCooldown(s, p),
    checkTradesPerDay(s, p),
    checkPositionSize(s, c, p),
    checkTotalExposure(s, c, p),
  ];
  return decide(checks);
}

export function decide(checks: PolicyCheck[]): RiskVerdict {
  let decisive: PolicyCheck | undefined;
  for (const check of checks) {
    if (check.passed) continue;
    if (!decisive || SEVERITY[check.action] > SEVERITY[decisive.action]) decisive = check;
  }
  return decisive ? { action: decisive.action, decisive, checks } : { action: 'ALLOW', checks };
}
