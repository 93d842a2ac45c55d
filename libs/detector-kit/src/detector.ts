import type { TimeFrame, TradeSide } from '@barfinex/enums';
import { z } from 'zod';
import type { Bar, TradeTick } from './bar';
import { DetectorDefinitionError } from './errors';
import type { BarSeries } from './series';

/** What the runner needs from an indicator; every factory in this kit fits. */
export interface AnyIndicator {
  readonly name: string;
  readonly feed: 'candle' | 'trade';
  readonly value: unknown;
  update(input: never): unknown;
  reset(): void;
}
export type IndicatorSet = Record<string, AnyIndicator>;

/** Current indicator values; the runner only evaluates once every one of them is defined. */
export type IndicatorValues<I extends IndicatorSet> = { readonly [K in keyof I]: Exclude<I[K]['value'], undefined> };
export type NumericIndicator<I extends IndicatorSet> = {
  [K in keyof I]: Exclude<I[K]['value'], undefined> extends number ? K : never;
}[keyof I] &
  string;

export type ParamsSchema = z.ZodType<Record<string, unknown>>;
export type PriceInput = number | string;

export interface PositionState {
  side: TradeSide;
  /** `requested`: inferred from this detector's own requests; `reported`: set by the host from fills. */
  source: 'requested' | 'reported';
  since?: number;
  entryPrice?: number;
  quantity?: string;
  signalId?: string;
}

/** The live signal of a (symbol, timeframe) stream, as detectors see it. */
export interface ActiveSignal {
  signalId: string;
  direction: TradeSide;
  score: number;
  confidence: number;
  entry: number;
  stop: number | undefined;
  targets: readonly number[];
  targetsHit: number;
  createdAt: number;
  /** Bars closed since the signal was generated. */
  ageBars: number;
  rulesFired: readonly string[];
}

export interface OrderBookView {
  time: number;
  bestBid: number | undefined;
  bestAsk: number | undefined;
  /** Summed volume of the levels received, bids then asks. */
  bidVolume: number;
  askVolume: number;
}

export interface DetectorContext<P, I extends IndicatorSet> {
  readonly params: P;
  readonly symbol: string;
  readonly timeframe: TimeFrame;
  /** The bar that just closed. */
  readonly candle: Bar;
  readonly series: BarSeries;
  readonly indicators: I;
  readonly values: IndicatorValues<I>;
  /** Values after the previous bar; a key is missing when that indicator was still warming up. */
  readonly prev: Partial<IndicatorValues<I>>;
  readonly position: PositionState | undefined;
  readonly signal: ActiveSignal | undefined;
  readonly orderBook: OrderBookView | undefined;
  readonly lastTrade: TradeTick | undefined;
  /** 0-based index of this bar in the stream since start or since the last reset (a gap resets). */
  readonly barIndex: number;
  /** True when `a` was at or below `b` on the previous bar and is above it now. */
  crossedAbove(a: NumericIndicator<I>, b: NumericIndicator<I> | number): boolean;
  crossedBelow(a: NumericIndicator<I>, b: NumericIndicator<I> | number): boolean;
}

export interface Rule<C> {
  id: string;
  description?: string;
  direction: TradeSide;
  /** Positive; fired rules add their weight to their direction's score. */
  weight: number;
  when(ctx: C): boolean;
}

export interface InvalidationRule<C> {
  id: string;
  description?: string;
  when(ctx: C, signal: ActiveSignal): boolean;
}

export interface Levels {
  entry?: PriceInput;
  entryType?: 'market' | 'limit';
  stop?: PriceInput;
  targets?: readonly PriceInput[];
  reason?: string;
}

export interface Expiry {
  /** Invalidate after this many closed bars without resolution. */
  bars?: number;
  ms?: number;
}

export interface SignalDraft extends Levels {
  direction: TradeSide;
  score?: number;
  /** In [0, 1]; defaults to the score clamped into that range. */
  confidence?: number;
  rulesFired?: readonly string[];
  expires?: Expiry;
}

export interface PositionAction {
  type: 'open' | 'close' | 'reduce' | 'flip';
  /** For open: the side to open (default: the active signal's); ignored otherwise. */
  side?: TradeSide;
  /** For reduce: share of the position to close, in (0, 1]. */
  fraction?: number;
  quantity?: PriceInput;
  price?: PriceInput;
  stopLoss?: PriceInput;
  takeProfit?: PriceInput;
  reason?: string;
}

export interface DetectorOutput {
  signal?: SignalDraft;
  /** Withdraws the active signal with this reason. */
  invalidate?: string;
  actions?: readonly PositionAction[];
}

export type EvaluateResult = DetectorOutput | SignalDraft | null | undefined | void;

export interface DetectorInputs {
  /** Symbols this detector trades; empty or absent means whatever the host feeds it. */
  symbols?: readonly string[];
  timeframes: readonly TimeFrame[];
  orderBook?: boolean;
  trades?: boolean;
  /** Closed bars to see before the first evaluation (indicators must also be ready). */
  warmup?: number;
  /** Bars kept in `ctx.series`; default max(warmup, 100). */
  history?: number;
}

type Ctx<P extends ParamsSchema, I extends IndicatorSet> = DetectorContext<z.output<P>, I>;

export interface DetectorSpec<P extends ParamsSchema, I extends IndicatorSet> {
  name: string;
  version?: string;
  description?: string;
  inputs: DetectorInputs;
  /** Zod object schema; its defaults are the detector's defaults. */
  params?: P;
  /** Builds this stream's indicators once; the runner feeds them on every bar. */
  setup?: (params: z.output<P>) => I;
  rules?: readonly Rule<Ctx<P, I>>[];
  /** Minimum summed weight for each direction to produce a signal. */
  thresholds?: { long: number; short: number };
  /** Entry, stop and targets for a rules signal; entry defaults to the close. */
  levels?: (ctx: Ctx<P, I>, direction: TradeSide) => Levels;
  invalidate?: readonly InvalidationRule<Ctx<P, I>>[];
  evaluate?: (ctx: Ctx<P, I>) => EvaluateResult;
  expires?: Expiry;
  /**
   * Let the runner turn the signal lifecycle into position requests: open on a new signal,
   * flip on an opposite one, reduce at intermediate targets, close at the stop, the last target
   * or an invalidation.
   */
  managePosition?: boolean;
}

export interface Detector<
  P extends ParamsSchema = ParamsSchema,
  I extends IndicatorSet = IndicatorSet,
> extends DetectorSpec<P, I> {
  readonly kind: 'rules' | 'evaluate';
  readonly version: string;
  /** Validates and fills defaults; throws a ZodError on bad input. */
  parseParams(input: unknown): z.output<P>;
}

/** Any detector regardless of its params and indicators, for hosts that hold several kinds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDetector = Detector<any, any>;

const EMPTY_PARAMS = z.object({});

function check(condition: unknown, name: string, message: string): asserts condition {
  if (!condition) throw new DetectorDefinitionError(`Detector ${JSON.stringify(name)}: ${message}`);
}

type NoParams = z.ZodObject<Record<never, never>>;
type NoIndicators = Record<never, never>;

/**
 * Declares a detector: a plain object checked once here. Types flow from `params` into
 * `setup` and from `setup`'s indicators into every `ctx`.
 */

export function defineDetector<P extends ParamsSchema = NoParams, I extends IndicatorSet = NoIndicators>(
  spec: DetectorSpec<P, I>,
): Detector<P, I> {
  const name = spec.name;
  check(typeof name === 'string' && name.trim().length > 0, String(name), 'name is required');
  check(spec.inputs && spec.inputs.timeframes.length > 0, name, 'inputs.timeframes needs at least one time frame');
  const hasRules = spec.rules !== undefined;
  check(hasRules !== (spec.evaluate !== undefined), name, 'give either rules or evaluate, not both or neither');
  if (spec.rules) {
    check(spec.rules.length > 0, name, 'rules is empty');
    check(spec.thresholds, name, 'rules need thresholds: { long, short }');
    const ids = new Set<string>();
    for (const rule of spec.rules) {
      check(!ids.has(rule.id), name, `duplicate rule id ${JSON.stringify(rule.id)}`);
      ids.add(rule.id);
      check(Number.isFinite(rule.weight) && rule.weight > 0, name, `rule ${rule.id} needs a positive weight`);
    }
    check(spec.thresholds.long > 0 && spec.thresholds.short > 0, name, 'thresholds must be positive');
  }
  const schema = (spec.params ?? EMPTY_PARAMS) as P;
  return Object.freeze({
    ...spec,
    kind: hasRules ? ('rules' as const) : ('evaluate' as const),
    version: spec.version ?? '0.0.0',
    parseParams: (input: unknown) => schema.parse(input ?? {}) as z.output<P>,
  });
}
