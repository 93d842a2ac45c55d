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
}

export const PBO_LIMIT = 0.5;
export const ROBUSTNESS_LIMIT = 0.5;

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
