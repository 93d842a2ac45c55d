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
  return verdictOf(rules, thresholds, long, short, longTotal, shortTotal, firedBits, firedMore);
}

function verdictOf<C>(
  rules: readonly Rule<C>[],
  thresholds: { long: number; short: number },
  long: number,
  short: number,
  longTotal: number,
  shortTotal: number,
  firedBits: number,
  firedMore: number[] | undefined,
): RuleVerdict | undefined {
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
    direction,
    ' score ',
    score,
    ' ≥ ',
    isLong ? thresholds.long : thresholds.short,
    ' (',
    fired.join(', '),
    '); ',
    isLong ? 'SHORT' : 'LONG',
    ' score ',
    isLong ? short : long,
  ].join('');
  return { direction, score, confidence: total > 0 ? Math.min(1, score / total) : 0, rulesFired: fired, reason };
}

type Scorer<C> = (thresholds: { long: number; short: number }, ctx: C) => RuleVerdict | undefined;
type Tally = (rules: readonly Rule<unknown>[], ctx: unknown, out: Float64Array) => void;

/**
 * `scoreRules` for one fixed list of rules, with each rule's `when` called from a call site of
 * its own: one site calling six different closures is megamorphic and inlines none of them,
 * six sites calling one each can. Rules are read from the list on every call, as scoreRules
 * does. Same results as scoreRules (more than 31 rules simply use it).
 */
export function compileRuleScorer<C>(rules: readonly Rule<C>[]): Scorer<C> {
  if (rules.length > 31) return (thresholds, ctx) => scoreRules(rules, thresholds, ctx);
  const lines: string[] = [];
  for (let i = 0; i < rules.length; i += 1) {
    lines.push(
      `r = rules[${i}]; if (r.direction === 'LONG') { lt += r.weight; if (r.when(ctx)) { l += r.weight; bits |= ${1 << i}; } }` +
        ` else { st += r.weight; if (r.when(ctx)) { s += r.weight; bits |= ${1 << i}; } }`,
    );
  }
  const tally = new Function(
    'rules',
    'ctx',
    'out',
    `'use strict'; let r; let l = 0; let s = 0; let lt = 0; let st = 0; let bits = 0; ${lines.join(' ')} out[0] = l; out[1] = s; out[2] = lt; out[3] = st; out[4] = bits;`,
  ) as Tally;
  const out = new Float64Array(5);
  const count = rules.length;
  return (thresholds, ctx) => {
    // A list changed after compiling (rules added or removed) is scored the generic way.
    if (rules.length !== count) return scoreRules(rules, thresholds, ctx);
    tally(rules as readonly Rule<unknown>[], ctx, out);
    return verdictOf(
      rules,
      thresholds,
      out[0] as number,
      out[1] as number,
      out[2] as number,
      out[3] as number,
      out[4] as number,
      undefined,
    );
  };
}
