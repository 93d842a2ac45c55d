import { Dec } from '../decimal';
import type { AccountView } from '../orders/account';
import { drawdownPercent } from '../policies/drawdown';
import { fmt, pct } from '../policies/types';
import type { InspectorRepository } from '../store/inspector.repository';
import type { RiskState } from './risk-state';

const headroom = (limit: string, used: Dec) =>
  new Dec(limit).isZero() ? null : fmt(Dec.max(new Dec(limit).minus(used), 0));

/** The risk dashboard: account figures, kill switch, limits and the headroom left under each. */
export async function buildDashboard(deps: {
  state: RiskState;
  repo: InspectorRepository;
  account: () => Promise<AccountView>;
}) {
  const account = await deps.account().catch(() => undefined);
  const policies = deps.state.policies();
  const [active, audit] = await Promise.all([deps.repo.activePositions(), deps.repo.listAudit({ page: 1, limit: 20 })]);
  let risk: Record<string, unknown> = { available: false };
  if (account) {
    const s = await deps.state.snapshot(account);
    const dd = drawdownPercent(s);
    const dailyLossPct = pct(Dec.max(s.dailyPnl.negated(), 0), s.equity.minus(s.dailyPnl));
    const exposureLimit = s.equity.times(policies.maxExposurePercent).div(100);
    risk = {
      available: true,
      account: account.key,
      equity: s.equity.toFixed(),
      peakEquity: s.peakEquity.toFixed(),
      drawdownPct: fmt(dd),
      dailyPnl: s.dailyPnl.toFixed(),
      dailyLossPct: fmt(dailyLossPct),
      exposure: {
        total: s.totalExposure.toFixed(),
        limit: exposureLimit.toFixed(),
        bySymbol: Object.fromEntries(Object.entries(s.exposureBySymbol).map(([k, v]) => [k, v.toFixed()])),
      },
      consecutiveLosses: s.consecutiveLosses,
      lastLossAt: s.lastLossAt ?? null,
      tradesToday: s.tradesToday,
      headroom: {
        drawdownPct: headroom(policies.maxDrawdownPercent, dd),
        dailyLossPct: headroom(policies.maxDailyLossPercent, dailyLossPct),
        exposure: fmt(Dec.max(exposureLimit.minus(s.totalExposure), 0)),
        trades: policies.maxTradesPerDay === 0 ? null : Math.max(policies.maxTradesPerDay - s.tradesToday, 0),
        lossesBeforeStandDown:
          policies.maxConsecutiveLosses === 0 ? null : Math.max(policies.maxConsecutiveLosses - s.consecutiveLosses, 0),
      },
    };
  }
  return {
    risk,
    killSwitch: deps.state.killSwitch(),
    policies,
    policiesVersion: deps.state.state().policiesVersion,
    positions: active,
    audit: audit.items,
  };
}
