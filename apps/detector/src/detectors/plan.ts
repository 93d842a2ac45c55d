import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import type { Detector } from '@barfinex/detector-kit';
import { ownsPartition, virtualPartition } from '@barfinex/bus';
import { isAppError } from '@barfinex/service-kit';
import type { ProviderClient } from '@barfinex/sdk';

/** What this instance watches: symbols × time frames on one venue, and params per detector. */
export interface DetectorPlan {
  /** Empty: every symbol this instance's partition receives (no history warm-up then). */
  symbols: string[];
  /** Empty: each detector's own `inputs.timeframes`. */
  intervals: TimeFrame[];
  connectorType: ConnectorType;
  marketType: MarketType;
  /** Raw params by detector name; validated when the runner is built. */
  params: Record<string, unknown>;
  source: 'env' | 'provider' | 'defaults';
}

export interface PlanInput {
  appKey: string;
  symbols: readonly string[];
  intervals: readonly TimeFrame[];
  connectorType: ConnectorType;
  marketType: MarketType;
  params: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Environment first; otherwise the provider's detector config whose key is this app's key
 * (symbols, intervals, venue, params). Params from the environment override the provider's.
 */
export async function resolvePlan(
  input: PlanInput,
  provider: Pick<ProviderClient, 'detectors'>,
  onProblem: (err: unknown) => void,
): Promise<DetectorPlan> {
  const base: DetectorPlan = {
    symbols: input.symbols.map((s) => s.toUpperCase()),
    intervals: [...input.intervals],
    connectorType: input.connectorType,
    marketType: input.marketType,
    params: { ...input.params },
    source: input.symbols.length > 0 ? 'env' : 'defaults',
  };
  if (base.source === 'env') return base;
  try {
    const config = await provider.detectors.get(input.appKey);
    const remote = isRecord(config.params) ? config.params : {};
    const params: Record<string, unknown> = { ...remote };
    for (const [name, value] of Object.entries(input.params))
      params[name] = isRecord(value) && isRecord(remote[name]) ? { ...remote[name], ...value } : value;
    return {
      symbols: config.symbols.map((s) => s.name),
      intervals: base.intervals.length > 0 ? base.intervals : [...config.intervals],
      connectorType: config.connectorType ?? base.connectorType,
      marketType: config.marketType ?? base.marketType,
      params,
      source: 'provider',
    };
  } catch (err) {
    if (!(isAppError(err) && err.code === 'NOT_FOUND')) onProblem(err);
    return base;
  }
}

/** Params for one detector: `params[name]` when it is an object, else the flat params for a lone detector. */
export function paramsFor(plan: DetectorPlan, detector: Detector, detectorCount: number): unknown {
  const own = plan.params[detector.name];
  if (isRecord(own)) return own;
  if (detectorCount === 1) {
    const keys = Object.keys(plan.params);
    return keys.length > 0 ? plan.params : undefined;
  }
  return undefined;
}

/** A detector run on the plan's time frames instead of the ones it was written for. */
export function withTimeframes(detector: Detector, intervals: readonly TimeFrame[]): Detector {
  if (intervals.length === 0) return detector;
  return Object.freeze({ ...detector, inputs: { ...detector.inputs, timeframes: [...intervals] } });
}

export function ownsSymbol(symbol: string, partition: { index: number; count: number }): boolean {
  return partition.count <= 1 || ownsPartition(virtualPartition(symbol), partition);
}

/**
 * What this instance tells the provider about itself (`meta.detectorSnapshot` on register and
 * heartbeat), from which the provider keeps its `/api/detectors` row: the row is created when it is
 * missing and shallow-merged otherwise. So the snapshot carries only what this instance decides:
 * its address, version, hosted detectors and partition, and its venue, symbols and time frames when
 * the environment set them. What it read from the provider's config is never sent back, and the
 * flags (isActive, isBlocked) are the operator's: a heartbeat must not undo an operator's change.
 */
export function detectorSnapshot(
  plan: DetectorPlan,
  runtime: {
    restApiUrl: string;
    version: string;
    detectors: readonly string[];
    partition: { index: number; count: number };
    envIntervals: boolean;
  },
): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {
    restApiUrl: runtime.restApiUrl,
    version: runtime.version,
    detectors: [...runtime.detectors],
    partition: { index: runtime.partition.index, count: runtime.partition.count },
  };
  if (plan.source === 'env') {
    snapshot['symbols'] = [...plan.symbols];
    snapshot['connectorType'] = plan.connectorType;
    snapshot['marketType'] = plan.marketType;
  }
  if (runtime.envIntervals && plan.intervals.length > 0) snapshot['intervals'] = [...plan.intervals];
  return snapshot;
}
