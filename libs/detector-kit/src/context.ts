import type { TimeFrame, TradeSide } from '@barfinex/enums';
import type { Bar, TradeTick } from './bar';
import type {
  ActiveSignal,
  DetectorContext,
  IndicatorSet,
  NumericIndicator,
  OrderBookView,
  PositionState,
  Rule,
} from './detector';
import type { BarSeries } from './series';

type Values = Record<string, unknown>;

/**
 * One context object per stream, refreshed in place before each evaluation: detectors run
 * synchronously, and not allocating per bar keeps the harness fast. Copy what you keep.
 */
export interface MutableContext<P, I extends IndicatorSet> extends DetectorContext<P, I> {
  params: P;
  candle: Bar;
  values: DetectorContext<P, I>['values'];
  prev: DetectorContext<P, I>['prev'];
  position: PositionState | undefined;
  signal: ActiveSignal | undefined;
  orderBook: OrderBookView | undefined;
  lastTrade: TradeTick | undefined;
  barIndex: number;
}

export function createContext<P, I extends IndicatorSet>(init: {
  params: P;
  symbol: string;
  timeframe: TimeFrame;
  series: BarSeries;
  indicators: I;
}): MutableContext<P, I> {
  // 1 = crossed above, -1 = crossed below, 0 = neither (or a value is missing). Runs on every bar
  // of a crossover detector, so it reads the two value objects directly.
  const cross = (a: string, b: string | number): number => {
    const prev = ctx.prev as Values;
    const now = ctx.values as Values;
    const pa = prev[a];
    const ca = now[a];
    const pb = typeof b === 'number' ? b : prev[b];
    const cb = typeof b === 'number' ? b : now[b];
    if (typeof pa !== 'number' || typeof pb !== 'number' || typeof ca !== 'number' || typeof cb !== 'number') return 0;
    if (pa <= pb && ca > cb) return 1;
    if (pa >= pb && ca < cb) return -1;
    return 0;
  };
  const ctx: MutableContext<P, I> = {
    ...init,
    candle: { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
    values: {} as DetectorContext<P, I>['values'],
    prev: {},
    position: undefined,
    signal: undefined,
    orderBook: undefined,
    lastTrade: undefined,
    barIndex: 0,
    crossedAbove(a: NumericIndicator<I>, b: NumericIndicator<I> | number) {
      return cross(a, b) === 1;
    },
    crossedBelow(a: NumericIndicator<I>, b: NumericIndicator<I> | number) {
      return cross(a, b) === -1;
    },
  };
  return ctx;
}

/** The indicators' values that are defined so far (snapshots). */
export function readPartialValues(indicators: IndicatorSet, keys: readonly string[]): Values {
  const out: Values = {};
  for (const key of keys) {
    const v = indicators[key]?.value;
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export interface RuleVerdict {
  direction: TradeSide;
  score: number;
  confidence: number;
  rulesFired: string[];
  reason: string;
}

/**
 * Sums the weights of fired rules per direction. A direction wins when it reaches its threshold
 * and outscores the other; a tie between two qualifying directions is a conflict, so no signal.
 */
export function scoreRules<C>(
  rules: readonly Rule<C>[],
  thresholds: { long: number; short: number },
  ctx: C,
): RuleVerdict | undefined {
  let long = 0;
  let short = 0;
  let longTotal = 0;
  let shortTotal = 0;
  // Which rules fired, as bits (rules beyond 31 in a lazily made list): most bars give no
  // verdict, and then nothing is allocated.
  let firedBits = 0;
  let firedMore: number[] | undefined;
  for (let i = 0; i < rules.length; i += 1) {
    const rule = rules[i] as Rule<C>;
    const isLong = rule.direction === 'LONG';
    if (isLong) longTotal += rule.weight;
    else shortTotal += rule.weight;
    if (!rule.when(ctx)) continue;
    if (isLong) long += rule.weight;
    else short += rule.weight;
    if (i < 31) firedBits |= 1 << i;
    else (firedMore ??= []).push(i);
  }
  const longOk = long >= thresholds.long;
  const shortOk = short >= thresholds.short;
  if (!longOk && !shortOk) return undefined;
  if (longOk && shortOk && long === short) return undefined;
  const direction: TradeSide = longOk && (!shortOk || long > short) ? 'LONG' : 'SHORT';
  const isLong = direction === 'LONG';
  const score = isLong ? long : short;
  const total = isLong ? longTotal : shortTotal;
  const fired: string[] = [];
  for (let i = 0; i < rules.length; i += 1) {
    const rule = rules[i] as Rule<C>;
    const didFire = i < 31 ? (firedBits & (1 << i)) !== 0 : (firedMore?.includes(i) ?? false);
    if (didFire && (rule.direction === 'LONG') === isLong) fired.push(rule.id);
  }
  // Joined rather than concatenated: one flat string, not a rope of a dozen nodes, and the reason
  // is kept with every signal the harness returns.
  const reason = [
    direction, ' score ', score, ' ≥ ', isLong ? thresholds.long : thresholds.short, ' (', fired.join(', '), '); ',
    isLong ? 'SHORT' : 'LONG', ' score ', isLong ? short : long,
  ].join('');
  return { direction, score, confidence: total > 0 ? Math.min(1, score / total) : 0, rulesFired: fired, reason };
}
