import { randomUUID } from 'node:crypto';
import type { Bus } from '@barfinex/bus';
import type { Logger } from 'pino';
import type { PositionManager } from '../positions/position-manager';
import type { Auditor, EventMeta } from './auditor';
import type { RiskState } from './risk-state';

export interface KillSwitchDeps {
  state: RiskState;
  auditor: Auditor;
  manager: PositionManager;
  bus: Bus;
  logger: Logger;
  now: () => number;
}

/**
 * CLOSE_ALL: halts entries, closes every managed position and cancels the inspector's orders;
 * stays active (persisted) until an explicit reset. Exits keep being managed meanwhile.
 */
export function createKillSwitch(deps: KillSwitchDeps) {
  async function announce(active: boolean, reason: string, actor: string, m: EventMeta): Promise<void> {
    await deps.bus.publish('INSPECTOR_RISK_KILL_SWITCH', { active, reason, actor }, deps.auditor.meta(m));
  }
  return {
    isActive: () => deps.state.killSwitch().active,
    async trip(
      reason: string,
      actor: string,
      m: EventMeta = {},
      numbers: Record<string, string> = {},
    ): Promise<{ closed: number }> {
      if (!deps.state.killSwitch().active) {
        await deps.state.setKillSwitch({ active: true, reason, actor, at: deps.now() });
        await deps.auditor.record({
          dedupKey: `kill:${randomUUID()}`,
          kind: 'kill_switch',
          action: 'CLOSE_ALL',
          policy: 'killSwitch',
          reason,
          numbers: { ...numbers, actor },
          checks: [],
          at: deps.now(),
          ...(m.correlationId ? { correlationId: m.correlationId } : {}),
        });
        await announce(true, reason, actor, m);
        deps.logger.error({ reason, actor }, 'kill switch tripped: closing every managed position');
      }
      return { closed: await deps.manager.closeAll('kill_switch') };
    },
    async reset(actor: string, reason = 'manual reset'): Promise<void> {
      const wasActive = deps.state.killSwitch().active;
      await deps.state.setKillSwitch({ active: false, reason, actor, at: deps.now() }, true);
      await deps.auditor.record({
        dedupKey: `kill:${randomUUID()}`,
        kind: 'kill_switch',
        action: 'ALLOW',
        policy: 'killSwitch',
        reason,
        numbers: { actor, wasActive: String(wasActive) },
        checks: [],
        at: deps.now(),
      });
      await announce(false, reason, actor, {});
      deps.logger.warn({ actor, wasActive }, 'kill switch reset');
    },
  };
}

export type KillSwitch = ReturnType<typeof createKillSwitch>;
