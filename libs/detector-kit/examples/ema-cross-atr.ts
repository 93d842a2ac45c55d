/**
 * Trend following: go with the market when a fast EMA crosses a slow one, with a stop a few ATRs
 * away and a target a multiple of that risk further.
 *
 * Run it: npx tsx --conditions=development libs/detector-kit/examples/ema-cross-atr.ts
 */
import { z } from 'zod';
import { atr, defineDetector, ema, generateGbmCandles, runDetector } from '../src';

// Params are a Zod schema; its defaults are the detector's defaults and its type is ctx.params.
const Params = z
  .object({
    fast: z.number().int().min(2).default(9),
    slow: z.number().int().min(3).default(21),
    atrPeriod: z.number().int().min(1).default(14),
    /** Stop distance in ATRs. */
    stopAtr: z.number().positive().default(2),
    /** Target distance in multiples of the stop distance (R). */
    targetR: z.number().positive().default(2),
  })
  .refine((p) => p.fast < p.slow, { path: ['fast'], message: 'fast must be shorter than slow' });

export const emaCrossAtr = defineDetector({
  name: 'ema-cross-atr',
  version: '1.0.0',
  description: 'EMA crossover with an ATR stop',
  inputs: { timeframes: ['min1'], warmup: 30 },
  params: Params,
  // Indicators are built once per (symbol, timeframe) and fed every closed bar by the runner,
  // so each costs O(1) per bar; ctx.values holds their current values, fully typed.
  setup: (p) => ({ fast: ema(p.fast), slow: ema(p.slow), atr: atr(p.atrPeriod) }),
  // Weighted rules: the cross alone is not enough (weight 2 < threshold 3); the close must also
  // be on the right side of the slow EMA, which filters crosses made by a single wick.
  rules: [
    { id: 'fast-crossed-above-slow', direction: 'LONG', weight: 2, when: (ctx) => ctx.crossedAbove('fast', 'slow') },
    { id: 'close-above-slow', direction: 'LONG', weight: 1, when: (ctx) => ctx.candle.close > ctx.values.slow },
    { id: 'fast-crossed-below-slow', direction: 'SHORT', weight: 2, when: (ctx) => ctx.crossedBelow('fast', 'slow') },
    { id: 'close-below-slow', direction: 'SHORT', weight: 1, when: (ctx) => ctx.candle.close < ctx.values.slow },
  ],
  thresholds: { long: 3, short: 3 },
  levels: (ctx, direction) => {
    const risk = ctx.params.stopAtr * ctx.values.atr;
    const sign = direction === 'LONG' ? 1 : -1;
    const entry = ctx.candle.close;
    return {
      entry,
      stop: entry - sign * risk,
      targets: [entry + sign * risk * ctx.params.targetR],
      reason: `stop ${ctx.params.stopAtr} ATR`,
    };
  },
  // Open on a signal, flip on the opposite one, close at the stop or the target.
  managePosition: true,
});

/** The dataset the example and its test share: 240 one-minute GBM bars, seed 7. */
export function exampleCandles() {
  return generateGbmCandles({ seed: 7, count: 240, startPrice: 100, volatility: 0.004 });
}

export function runExample() {
  return runDetector(emaCrossAtr, {
    candles: exampleCandles(),
    symbol: 'BTCUSDT',
    timeframe: 'min1',
    priceDecimals: 2,
  });
}

/** The narration of a directly run example goes to stdout; nothing prints when the module is imported. */
const say = (line: string): void => void process.stdout.write(`${line}\n`);

function main(): void {
  const result = runExample();
  for (const event of result.events) {
    const p = event.payload as Record<string, unknown>;
    const time = new Date(event.meta.timestamp ?? 0).toISOString().slice(11, 16);
    if (event.name === 'DETECTOR_SIGNAL_GENERATED') {
      const s = result.signals.find((x) => x.signalId === p['signalId']);
      say(
        `${time} ${event.name} ${s?.direction} entry ${s?.entry?.price} stop ${s?.stop?.price} target ${s?.targets?.[0]?.price} [${s?.rulesFired?.join(', ')}]`,
      );
    } else {
      say(`${time} ${event.name} ${String(p['side'] ?? '')} ${String(p['reason'] ?? '')}`.trimEnd());
    }
  }
  say(`${result.signals.length} signals, ${result.events.length} events`);
}

// Only when run as a script: a bundle that includes this module (the detector app) is its own
// require.main, so the file name is checked too.
if (require.main === module && /ema-cross-atr\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) main();
