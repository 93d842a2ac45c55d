import { Dec, ZERO } from '../decimal';
import type { AccountView } from '../orders/account';
import { utcDayStart } from '../policies/time-windows';
import { DEFAULT_POLICIES } from '../policies/types';
import type { RiskPolicies, RiskSnapshot } from '../policies/types';
import type { InspectorRepository } from '../store/inspector.repository';
import type { KillSwitchState, StateRecord } from '../store/state-record';

export interface RiskStateDeps {
  repo: InspectorRepository;
  now: () => number;
  /** Policies for a first start (e.g. from the provider's inspector config); stored ones win. */
  initialPolicies?: () => Promise<RiskPolicies | undefined>;
}

/** The persisted risk state (policies, equity peaks, kill switch) with an in-memory copy. */
export function createRiskState(deps: RiskStateDeps) {
  let state: StateRecord | undefined;
  const current = (): StateRecord => {
    if (!state) throw new Error('risk state not loaded');
    return state;
  };
  async function save(next: StateRecord): Promise<StateRecord> {
    await deps.repo.saveState(next);
    state = next;
    return next;
  }

  return {
    async load(): Promise<StateRecord> {
      state = await deps.repo.loadState();
      if (state) return state;
      const policies = (await deps.initialPolicies?.()) ?? DEFAULT_POLICIES;
      return save({
        policies,
        policiesVersion: 1,
        peaks: {},
        killSwitch: { active: false },
        streakResetAt: 0,
        updatedAt: deps.now(),
      });
    },
    state: current,
    policies: (): RiskPolicies => current().policies,
    killSwitch: (): KillSwitchState => current().killSwitch,
    setPolicies: (policies: RiskPolicies) =>
      save({ ...current(), policies, policiesVersion: current().policiesVersion + 1, updatedAt: deps.now() }),
    setKillSwitch: (killSwitch: KillSwitchState, resetStreak = false) =>
      save({ ...current(), killSwitch, ...(resetStreak ? { streakResetAt: deps.now() } : {}), updatedAt: deps.now() }),
    /** Raises the stored peak when equity makes a new high; returns the peak. */
    async observeEquity(accountKey: string, equity: Dec): Promise<Dec> {
      const previous = current().peaks[accountKey];
      if (previous !== undefined && new Dec(previous).gte(equity)) return new Dec(previous);
      await save({
        ...current(),
        peaks: { ...current().peaks, [accountKey]: equity.toFixed() },
        updatedAt: deps.now(),
      });
      return equity;
    },
    /** Also used after a kill-switch reset: the peak restarts from today's equity. */
    resetPeak: (accountKey: string, equity: Dec) =>
      save({ ...current(), peaks: { ...current().peaks, [accountKey]: equity.toFixed() }, updatedAt: deps.now() }),

    /** Everything the policies measure, from the account and the stored trades of the UTC day. */
    async snapshot(account: AccountView): Promise<RiskSnapshot> {
      const now = deps.now();
      const peakEquity = await this.observeEquity(account.key, account.equity);
      const dayStart = utcDayStart(now);
      const streakFrom = Math.max(dayStart, current().streakResetAt);
      const [closed, tradesToday] = await Promise.all([
        deps.repo.closedSince(dayStart),
        deps.repo.countTradesSince(dayStart),
      ]);
      const dailyPnl = closed.reduce((sum, c) => sum.plus(c.pnl), ZERO);
      const counted = closed.filter((c) => c.closedAt >= streakFrom);
      const firstWin = counted.findIndex((c) => !new Dec(c.pnl).isNegative());
      const consecutiveLosses = firstWin === -1 ? counted.length : firstWin;
      const lastLoss = counted.find((c) => new Dec(c.pnl).isNegative());
      return {
        now,
        equity: account.equity,
        peakEquity,
        dailyPnl,
        exposureBySymbol: account.exposureBySymbol,
        totalExposure: account.totalExposure,
        consecutiveLosses,
        ...(lastLoss ? { lastLossAt: lastLoss.closedAt } : {}),
        tradesToday,
      };
    },
  };
}

export type RiskState = ReturnType<typeof createRiskState>;
