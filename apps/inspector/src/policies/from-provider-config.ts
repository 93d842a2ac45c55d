import { RiskPoliciesInputSchema } from './types';
import type { RiskPolicies } from './types';

const section = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

/**
 * Policies from the provider's stored inspector config: the reference's sections
 * (riskManagement, tradeSettings, strategyLogic) mapped to our names, then `params.policies`
 * (our own shape) over them. Invalid values are reported, not guessed around.
 */
export function policiesFromProviderConfig(
  config: Record<string, unknown>,
): { policies: RiskPolicies } | { error: string } {
  const risk = section(config['riskManagement']);
  const trade = section(config['tradeSettings']);
  const logic = section(config['strategyLogic']);
  const cooldownSeconds = num(logic['cooldownPeriod']);
  const mapped: Record<string, unknown> = {
    maxDrawdownPercent: risk['maxDrawdownPercent'],
    maxDailyLossPercent: risk['maxDailyLossPercent'],
    maxTradesPerDay: num(risk['maxTradesPerDay']),
    stopLossPercent: risk['stopLossPercent'],
    takeProfitPercent: risk['takeProfitPercent'],
    maxPositionPercent: trade['maxPositionSizePercent'],
    maxConsecutiveLosses: num(logic['maxConsecutiveLosses']),
    // The reference counts the cooldown in seconds.
    cooldownMs: cooldownSeconds === undefined ? undefined : Math.round(cooldownSeconds * 1000),
  };
  const defined = Object.fromEntries(Object.entries(mapped).filter(([, v]) => v !== undefined));
  const own = section(section(config['params'])['policies']);
  const result = RiskPoliciesInputSchema.safeParse({ ...defined, ...own });
  if (!result.success) return { error: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { policies: result.data };
}
