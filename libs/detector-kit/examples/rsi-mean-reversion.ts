/**
 * Mean reversion: buy when RSI climbs back out of oversold below the Bollinger middle band (sell
 * the mirror case), aim for the middle band, and give up if the bounce does not come quickly.
 * Written with `evaluate` instead of rules, to show the imperative style.
 *
 * Run it: npx tsx --conditions=development libs/detector-kit/examples/rsi-mean-reversion.ts
 */
import { z } from 'zod';
import { bollinger, defineDetector, generateGbmCandles, rsi, runDetector } from '../src';

export const rsiMeanReversion = defineDetector({
  name: 'rsi-mean-reversion',
  version: '1.0.0',
  description: 'RSI leaving an extreme, targeting the Bollinger middle band',
  inputs: { timeframes: ['min5'], warmup: 20 },
  params: z.object({
    period: z.number().int().min(2).default(14),
    oversold: z.number().min(1).max(49).default(30),
    overbought: z.number().min(51).max(99).default(70),
    bands: z.number().int().min(2).default(20),
    /** Stop distance as a fraction of the entry price. */
    stopPct: z.number().positive().max(0.5).default(0.01),
  }),
  setup: (p) => ({ rsi: rsi(p.period), bands: bollinger({ period: p.bands }) }),
  // A reversion that has not happened within 12 bars is probably a trend: withdraw the signal.
  expires: { bars: 12 },
  evaluate: (ctx) => {
    const { oversold, overbought, stopPct } = ctx.params;
    const now = ctx.values.rsi;
    const before = ctx.prev.rsi;
    const close = ctx.candle.close;
    const mid = ctx.values.bands.middle;
    // The idea is spent once RSI is back at the midline, even if the band target was missed.
    if (ctx.signal?.direction === 'LONG' && now >= 50) return { invalidate: 'RSI back at 50' };
    if (ctx.signal?.direction === 'SHORT' && now <= 50) return { invalidate: 'RSI back at 50' };
    if (before === undefined) return null;
    if (before < oversold && now >= oversold && close < mid) {
      return {
        direction: 'LONG',
        score: oversold - before,
        // Deeper excursions revert more reliably; 0.5 at the threshold, 1 at RSI 0.
        confidence: 0.5 + (oversold - before) / (2 * oversold),
        stop: close * (1 - stopPct),
        targets: [mid],
        rulesFired: ['rsi-left-oversold', 'below-middle-band'],
        reason: `RSI ${before.toFixed(1)} → ${now.toFixed(1)} crossed ${oversold} upwards`,
      };
    }
    if (before > overbought && now <= overbought && close > mid) {
      return {
        direction: 'SHORT',
        score: before - overbought,
        confidence: 0.5 + (before - overbought) / (2 * (100 - overbought)),
        stop: close * (1 + stopPct),
        targets: [mid],
        rulesFired: ['rsi-left-overbought', 'above-middle-band'],
        reason: `RSI ${before.toFixed(1)} → ${now.toFixed(1)} crossed ${overbought} downwards`,
      };
    }
    return null;
  },
  managePosition: true,
});

/** The dataset the example and its test share: 400 five-minute GBM bars, seed 42. */
export function exampleCandles() {
  return generateGbmCandles({ seed: 42, count: 400, timeframe: 'min5', startPrice: 2500, volatility: 0.006 });
}

export function runExample() {
  return runDetector(rsiMeanReversion, {
    candles: exampleCandles(),
    symbol: 'ETHUSDT',
    timeframe: 'min5',
    priceDecimals: 2,
  });
}

/** The narration of a directly run example goes to stdout; nothing prints when the module is imported. */
const say = (line: string): void => void process.stdout.write(`${line}\n`);

function main(): void {
  const result = runExample();
  for (const { name, payload, meta } of result.events) {
    const p = payload as Record<string, unknown>;
    const at = new Date(meta.timestamp ?? 0).toISOString().slice(11, 16);
    const detail =
      name === 'DETECTOR_SIGNAL_GENERATED'
        ? (() => {
            const s = result.signals.find((x) => x.signalId === p['signalId']);
            return `${s?.direction} @ ${s?.entry?.price} stop ${s?.stop?.price} target ${s?.targets?.[0]?.price} confidence ${s?.confidence.toFixed(2)}: ${s?.reason}`;
          })()
        : `${String(p['side'] ?? '')} ${String(p['reason'] ?? '')}`;
    say(`${at} ${name} ${detail}`);
  }
  say(`${result.signals.length} signals, ${result.events.length} events`);
}

// Only when run as a script: a bundle that includes this module (the detector app) is its own
// require.main, so the file name is checked too.
if (require.main === module && /rsi-mean-reversion\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) main();
