import { Money } from '@barfinex/contracts';
import type { DecisionStage } from '@barfinex/contracts';
import type { TradeSide } from '@barfinex/enums';
import type { PipelineConfig } from './pipeline-config';
import { confidenceFloorStage, convictionStage } from './stages/conviction';
import { dataQualityStage } from './stages/data-quality';
import { executionStage } from './stages/execution';
import type { ExecutionPlan } from './stages/execution';
import { marketContextStage } from './stages/market-context';
import type { MarketContextConfig, MarketView } from './stages/market-context';
import { regimeStage } from './stages/regime';
import { scoringStage } from './stages/scoring';
import { attemptSynthesis, synthesisStage } from './stages/synthesis';
import type { Synthesizer } from './stages/synthesis';
import type { MarketData, StageOutcome, TradeIdea } from './types';

export const STAGE_NAMES = [
  'market-context',
  'data-quality',
  'scoring',
  'conviction',
  'regime',
  'synthesis',
  'confidence-floor',
  'execution',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface PipelineDeps {
  loadMarket(idea: TradeIdea, config: MarketContextConfig): Promise<MarketData>;
  synthesizer?: Synthesizer;
  now: () => number;
}

export interface PipelineRun {
  approved: boolean;
  confidence: number;
  direction?: TradeSide;
  stages: DecisionStage[];
  reasoning: string;
  context: Record<string, unknown>;
  plan?: ExecutionPlan;
  /** Set when the confidence floor rejected the decision. */
  lowConfidence?: { confidence: number; threshold: number; reason: string };
}

function marketSummary(data: MarketData, view: MarketView): Record<string, unknown> {
  const text = (d: Money | undefined) => d?.toString();
  return {
    interval: data.interval,
    candles: view.bars.length,
    lastBarTime: view.lastBarTime,
    lastPrice: text(view.lastPrice),
    bestBid: text(view.bestBid),
    bestAsk: text(view.bestAsk),
    spreadPct: view.spreadPct?.toSignificantDigits(10).toString(),
    fetchedAt: data.fetchedAt,
    errors: data.errors,
  };
}

/**
 * Runs the stages in order and stops at the first that fails; every stage that ran is recorded
 * with its reason, score and duration so the decision can be audited step by step.
 */
export async function runPipeline(idea: TradeIdea, config: PipelineConfig, deps: PipelineDeps): Promise<PipelineRun> {
  const stages: DecisionStage[] = [];
  const context: Record<string, unknown> = { idea };
  let confidence = 0;
  let direction = idea.direction;

  const record = <T>(name: StageName, started: number, outcome: StageOutcome<T>): StageOutcome<T> => {
    stages.push({
      name,
      passed: outcome.passed,
      reason: outcome.reason,
      durationMs: Math.max(0, deps.now() - started),
      ...(outcome.score !== undefined ? { score: outcome.score } : {}),
    });
    return outcome;
  };
  const reject = (name: StageName, reason: string, extra: Partial<PipelineRun> = {}): PipelineRun => ({
    approved: false,
    confidence,
    ...(direction ? { direction } : {}),
    stages,
    reasoning: `rejected at ${name}: ${reason}`,
    context,
    ...extra,
  });

  let started = deps.now();
  const data = await deps.loadMarket(idea, config.marketContext);
  const market = record('market-context', started, marketContextStage(data, idea));
  const view = market.data;
  context['market'] = marketSummary(data, view);
  if (!market.passed) return reject('market-context', market.reason);

  started = deps.now();
  const quality = record(
    'data-quality',
    started,
    dataQualityStage(view, { interval: config.marketContext.interval, now: deps.now() }, config.dataQuality),
  );
  context['dataQuality'] = quality.data;
  if (!quality.passed) return reject('data-quality', quality.reason);

  started = deps.now();
  const scoring = record('scoring', started, scoringStage(view.bars, idea.direction, config.scoring));
  context['scoring'] = scoring.data;
  if (!scoring.passed || !scoring.data) return reject('scoring', scoring.reason);
  const features = scoring.data;
  direction = features.direction;

  started = deps.now();
  const conviction = record(
    'conviction',
    started,
    convictionStage(
      {
        score: scoring.score ?? 0,
        ...(idea.detectorConfidence !== undefined ? { detectorConfidence: idea.detectorConfidence } : {}),
      },
      config.conviction,
    ),
  );
  confidence = conviction.data;

  started = deps.now();
  const regime = record(
    'regime',
    started,
    regimeStage({ bars: view.bars, atrPct: features.atrPct, direction, conviction: confidence }, config.regime),
  );
  context['regime'] = regime.data;
  confidence = regime.data.calibrated;

  started = deps.now();
  const request = {
    symbol: idea.symbol,
    direction,
    regime: regime.data.regime,
    conviction: confidence,
    features: {
      trend: features.trend,
      momentum: features.momentum,
      atrPct: features.atrPct,
      efficiency: regime.data.efficiency,
    },
  };
  const attempt = await attemptSynthesis(deps.synthesizer, request, config.synthesis);
  const synthesis = record('synthesis', started, synthesisStage(confidence, attempt, config.synthesis));
  context['synthesis'] = synthesis.data;
  confidence = synthesis.data.confidence;
  if (!synthesis.passed) return reject('synthesis', synthesis.reason);

  started = deps.now();
  const floor = record('confidence-floor', started, confidenceFloorStage(confidence, config.conviction));
  if (!floor.passed)
    return reject('confidence-floor', floor.reason, {
      lowConfidence: { confidence, threshold: floor.data.threshold, reason: floor.reason },
    });

  started = deps.now();
  const atr = features.atr > 0 ? new Money(features.atr).toDecimalPlaces(8).toString() : undefined;
  const execution = record(
    'execution',
    started,
    executionStage(
      {
        direction,
        targets: idea.targets,
        ...(idea.entry ? { entry: idea.entry } : {}),
        ...(idea.stop ? { stop: idea.stop } : {}),
        ...(atr ? { atr } : {}),
      },
      view,
      config.execution,
    ),
  );
  context['execution'] = execution.data;
  if (!execution.passed || !execution.data) return reject('execution', execution.reason);

  return {
    approved: true,
    confidence,
    direction,
    stages,
    reasoning: `approved ${direction} ${idea.symbol}: ${regime.reason}; ${execution.reason}`,
    context,
    plan: execution.data,
  };
}
