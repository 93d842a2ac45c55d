import type { PolicyCheck, RiskPolicies, RiskSnapshot } from './types';

/** After a losing trade, entries are throttled until `cooldownMs` has fully elapsed. */
export function checkCooldown(s: RiskSnapshot, p: RiskPolicies): PolicyCheck {
  const elapsed = s.lastLossAt === undefined ? undefined : Math.max(0, s.now - s.lastLossAt);
  const passed = p.cooldownMs === 0 || elapsed === undefined || elapsed >= p.cooldownMs;
  return {
    policy: 'cooldown',
    passed,
    action: 'THROTTLE',
    current: String(elapsed ?? p.cooldownMs),
    limit: String(p.cooldownMs),
    reason: passed
      ? 'no cooldown in force'
      : `cooling down after a loss: ${elapsed} ms of ${p.cooldownMs} ms elapsed, ${p.cooldownMs - (elapsed ?? 0)} ms left`,
  };
}
