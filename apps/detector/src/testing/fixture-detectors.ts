import { z } from 'zod';
import { defineDetector, sma } from '@barfinex/detector-kit';

/** Signals LONG when a close reaches `trigger`: lets tests script exactly when a signal fires. */
export const thresholdDetector = defineDetector({
  name: 'threshold',
  version: '1.0.0',
  inputs: { timeframes: ['min1'], warmup: 3 },
  params: z.object({ trigger: z.number().positive().default(110), period: z.number().int().min(1).default(3) }),
  setup: (p) => ({ avg: sma(p.period) }),
  evaluate: (ctx) =>
    ctx.candle.close >= ctx.params.trigger
      ? {
          direction: 'LONG',
          confidence: 0.8,
          stop: ctx.candle.close * 0.98,
          targets: [ctx.candle.close * 1.05],
          rulesFired: ['close-above-trigger'],
        }
      : null,
});

/** Throws on every evaluation: the host must isolate it. */
export const brokenDetector = defineDetector({
  name: 'broken',
  inputs: { timeframes: ['min1'] },
  evaluate: () => {
    throw new Error('boom');
  },
});

/** A plugin module may also export a bare spec; the host defines it. */
export const bareSpec = {
  name: 'bare',
  inputs: { timeframes: ['min1'] },
  evaluate: () => null,
};
