import { SynthesisConfigSchema, attemptSynthesis, synthesisStage } from './synthesis';
import type { Synthesizer } from './synthesis';

const on = SynthesisConfigSchema.parse({ enabled: true, baseUrl: 'http://127.0.0.1:1/v1', weight: 0.5 });
const request = { symbol: 'BTCUSDT', direction: 'LONG', regime: 'TREND', conviction: 0.7, features: {} };
const fake = (answer: unknown | Error): Synthesizer => ({
  model: 'fake',
  synthesize: async () => {
    if (answer instanceof Error) throw answer;
    return answer as never;
  },
});

describe('synthesis stage', () => {
  it('is off by default and then leaves the confidence alone', async () => {
    const off = SynthesisConfigSchema.parse({});
    const attempt = await attemptSynthesis(fake({ verdict: 'agree', confidence: 1, rationale: 'x' }), request, off);
    expect(attempt).toEqual({ status: 'disabled' });
    expect(synthesisStage(0.7, attempt, off)).toMatchObject({ passed: true, data: { confidence: 0.7 } });
  });

  it('blends an agreeing answer by weight', async () => {
    const attempt = await attemptSynthesis(
      fake({ verdict: 'agree', confidence: 0.9, rationale: 'trend intact' }),
      request,
      on,
    );
    expect(synthesisStage(0.7, attempt, on).data.confidence).toBeCloseTo(0.8, 12);
  });

  it('a disagreeing answer lowers the confidence, and vetoes when configured', async () => {
    const attempt = await attemptSynthesis(
      fake({ verdict: 'disagree', confidence: 0.9, rationale: 'divergence' }),
      request,
      on,
    );
    expect(synthesisStage(0.7, attempt, on)).toMatchObject({ passed: true });
    expect(synthesisStage(0.7, attempt, on).data.confidence).toBeCloseTo(0.4, 12);
    expect(synthesisStage(0.7, attempt, { ...on, vetoOnDisagree: true }).passed).toBe(false);
  });

  it('discards a malformed answer and survives a failing model without blocking', async () => {
    const invalid = await attemptSynthesis(fake({ verdict: 'maybe', confidence: 2 }), request, on);
    expect(invalid.status).toBe('invalid');
    expect(synthesisStage(0.7, invalid, on)).toMatchObject({
      passed: true,
      data: { confidence: 0.7, status: 'invalid' },
    });
    const failed = await attemptSynthesis(fake(new Error('connect ECONNREFUSED')), request, on);
    expect(failed).toEqual({ status: 'failed', error: 'connect ECONNREFUSED' });
  });

  it('requires a base URL once enabled', () => {
    expect(SynthesisConfigSchema.safeParse({ enabled: true }).success).toBe(false);
  });
});
