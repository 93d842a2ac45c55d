import { sharpeOf } from './scoring';

/** Every way to pick k of n indices (n is the CSCV block count, at most 10 here: 252 ways). */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]) => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i <= n - (k - acc.length); i += 1) pick(i + 1, [...acc, i]);
  };
  pick(0, []);
  return out;
}

/** Sharpe of a trial over a set of its blocks ([bars, sum, sumSq] per block, flattened). */
function blockSharpe(blocks: readonly number[], picked: readonly number[]): number {
  let bars = 0;
  let sum = 0;
  let sumSq = 0;
  for (const b of picked) {
    bars += blocks[b * 3] ?? 0;
    sum += blocks[b * 3 + 1] ?? 0;
    sumSq += blocks[b * 3 + 2] ?? 0;
  }
  // The annualisation factor is common to every trial, so 1 ms keeps only the ranking.
  return sharpeOf(bars, sum, sumSq, 1);
}

/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado and Zhu, 2015). The range is cut into S blocks; for every half of them
 * taken as in-sample, the trial with the best in-sample Sharpe is ranked among all trials on the
 * other half. PBO is the share of splits where that rank falls in the lower half (logit ≤ 0).
 * Needs at least 2 trials; undefined otherwise.
 */
export function probabilityOfOverfitting(
  trials: ReadonlyArray<readonly number[]>,
  blockCount: number,
): number | undefined {
  if (trials.length < 2 || blockCount < 2) return undefined;
  const all = Array.from({ length: blockCount }, (_, i) => i);
  const splits = combinations(blockCount, Math.floor(blockCount / 2));
  let below = 0;
  for (const inSample of splits) {
    const outSample = all.filter((b) => !inSample.includes(b));
    let best = 0;
    let bestIs = -Infinity;
    const oos = trials.map((blocks, i) => {
      const s = blockSharpe(blocks, inSample);
      if (s > bestIs) {
        bestIs = s;
        best = i;
      }
      return blockSharpe(blocks, outSample);
    });
    const chosen = oos[best] as number;
    // Relative rank in (0, 1): ties count half, as in the paper's ω = rank / (N + 1).
    const rank = oos.reduce((acc, v) => acc + (v < chosen ? 1 : v === chosen ? 0.5 : 0), 0.5);
    const omega = rank / (trials.length + 1);
    if (Math.log(omega / (1 - omega)) <= 0) below += 1;
  }
  return below / splits.length;
}

/**
 * How the objective holds around the chosen parameters: the mean score of its neighbours (one
 * step along each axis; an infeasible neighbour counts as 0) over its own score. 1 means a
 * plateau, near 0 or negative a lone peak. Undefined without a positive chosen score or neighbours.
 */
export function robustnessScore(
  chosen: number | null,
  neighbourScores: ReadonlyArray<number | null>,
): number | undefined {
  if (chosen === null || chosen <= 0 || neighbourScores.length === 0) return undefined;
  const mean = neighbourScores.reduce<number>((a, s) => a + (s ?? 0), 0) / neighbourScores.length;
  return Math.max(-1, Math.min(1, mean / chosen));
}

export interface GuardInput {
  inSampleBest: number | null;
  /** The headline objective: stitched out-of-sample with walk-forward. */
  outOfSample: number | null;
  walkForward: boolean;
  robustness: number | undefined;
  pbo: number | undefined;
  deflatedSharpe?: number | undefined;
}

export const PBO_LIMIT = 0.5;
export const ROBUSTNESS_LIMIT = 0.5;
/** The deflated Sharpe ratio's usual significance level. */
export const DSR_LIMIT = 0.95;

/** The guard's verdict in words: every reason it does not trust the result. */
export function judge(input: GuardInput): { flagged: boolean; reasons: string[]; verdict: string } {
  const reasons: string[] = [];
  if (input.inSampleBest === null) reasons.push('no trial met the constraints');
  if (input.walkForward && input.inSampleBest !== null && (input.outOfSample === null || input.outOfSample <= 0)) {
    reasons.push(
      `the best in-sample parameters do not survive out of sample (in-sample ${input.inSampleBest.toFixed(3)}, stitched out-of-sample ${input.outOfSample === null ? 'failed the constraints' : input.outOfSample.toFixed(3)})`,
    );
  }
  if (input.pbo !== undefined && input.pbo > PBO_LIMIT)
    reasons.push(`probability of backtest overfitting ${(input.pbo * 100).toFixed(0)} % (above ${PBO_LIMIT * 100} %)`);
  if (input.deflatedSharpe !== undefined && input.deflatedSharpe < DSR_LIMIT) {
    reasons.push(
      `deflated Sharpe ratio ${input.deflatedSharpe.toFixed(2)}: after this many trials the best Sharpe is not significant (below ${DSR_LIMIT})`,
    );
  }
  if (input.robustness !== undefined && input.robustness < ROBUSTNESS_LIMIT)
    reasons.push(
      `the chosen parameters are a lone peak: their neighbours reach ${(input.robustness * 100).toFixed(0)} % of their score`,
    );
  if (!input.walkForward) reasons.push('no walk-forward: the result is in-sample only');
  const flagged = reasons.some((r) => !r.startsWith('no walk-forward'));
  const verdict = flagged
    ? `Do not trust these parameters: ${reasons.join('; ')}.`
    : input.walkForward
      ? 'The chosen parameters held up out of sample, sit on a plateau and are unlikely to be an artefact of the search.'
      : 'In-sample only (no walk-forward): the parameters sit on a plateau and the search shows no sign of overfitting, but they were never tested on unseen bars.';
  return { flagged, reasons, verdict };
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Inverse standard normal CDF (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

const EULER_GAMMA = 0.5772156649015329;

export interface SharpeSample {
  bars: number;
  sum: number;
  sumSq: number;
  sumCu?: number | undefined;
  sumQu?: number | undefined;
}

/** Per-bar (not annualised) Sharpe ratio, skewness and kurtosis of a trial's returns. */
function moments(s: SharpeSample): { sr: number; skew: number; kurt: number } | undefined {
  if (s.bars < 3) return undefined;
  const n = s.bars;
  const mean = s.sum / n;
  const m2 = s.sumSq / n - mean * mean;
  if (m2 <= 1e-24) return undefined;
  const hasHigher = s.sumCu !== undefined && s.sumQu !== undefined;
  const m3 = hasHigher ? (s.sumCu as number) / n - 3 * mean * (s.sumSq / n) + 2 * mean ** 3 : 0;
  const m4 = hasHigher
    ? (s.sumQu as number) / n - 4 * mean * ((s.sumCu as number) / n) + 6 * mean * mean * (s.sumSq / n) - 3 * mean ** 4
    : 3 * m2 * m2;
  return { sr: mean / Math.sqrt(m2), skew: m3 / m2 ** 1.5, kurt: m4 / (m2 * m2) };
}

/**
 * Deflated Sharpe ratio (Bailey and López de Prado, 2014): the probability that the chosen
 * trial's true Sharpe ratio is above zero once the number of trials tried and the spread of their
 * Sharpe ratios are accounted for (the best of many noise trials looks good by chance), with the
 * chosen returns' skewness and kurtosis. Undefined with fewer than 2 trials.
 */
export function deflatedSharpe(chosen: SharpeSample, trials: readonly SharpeSample[]): number | undefined {
  const c = moments(chosen);
  const srs = trials
    .map(moments)
    .filter((m): m is NonNullable<typeof m> => m !== undefined)
    .map((m) => m.sr);
  if (!c || srs.length < 2) return undefined;
  const mean = srs.reduce((a, b) => a + b, 0) / srs.length;
  const variance = srs.reduce((a, b) => a + (b - mean) ** 2, 0) / (srs.length - 1);
  const n = srs.length;
  const sr0 =
    Math.sqrt(variance) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / n) + EULER_GAMMA * normalQuantile(1 - 1 / (n * Math.E)));
  const denom = 1 - c.skew * c.sr + ((c.kurt - 1) / 4) * c.sr * c.sr;
  if (denom <= 0) return undefined;
  return normalCdf(((c.sr - sr0) * Math.sqrt(chosen.bars - 1)) / Math.sqrt(denom));
}
