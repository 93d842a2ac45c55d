import { MINUTE, T0, candleSeries, longIdea, marketData, orderBook } from '../testing/fixtures';
import { PipelineConfigSchema } from './pipeline-config';
import { STAGE_NAMES, runPipeline } from './pipeline';
import type { Synthesizer } from './stages/synthesis';
import type { MarketData } from './types';

const now = () => T0 + 120 * MINUTE;
const config = PipelineConfigSchema.parse({});
const deps = (data: MarketData = marketData(), synthesizer?: Synthesizer) => ({
  loadMarket: async () => data,
  now,
  ...(synthesizer ? { synthesizer } : {}),
});

describe('decision pipeline', () => {
  it('approves a LONG signal in a clean uptrend, recording every stage in order', async () => {
    const run = await runPipeline(longIdea(), config, deps());
    expect(run.approved).toBe(true);
    expect(run.stages.map((s) => s.name)).toEqual([...STAGE_NAMES]);
    expect(run.stages.every((s) => s.passed && typeof s.reason === 'string')).toBe(true);
    expect(run.plan).toEqual({ entry: '112', stopLoss: '111', takeProfit: '114', riskReward: '2' });
    expect(run.confidence).toBeGreaterThanOrEqual(config.conviction.minConfidence);
    expect(run.context).toMatchObject({
      regime: { regime: 'TREND', trendSide: 'LONG' },
      market: { bestBid: '111.99', bestAsk: '112.01' },
    });
  });

  it('stops at the data-quality gate on stale candles and runs nothing after it', async () => {
    const run = await runPipeline(longIdea(), config, { ...deps(), now: () => now() + 10 * MINUTE });
    expect(run.approved).toBe(false);
    expect(run.stages.map((s) => s.name)).toEqual(['market-context', 'data-quality']);
    expect(run.reasoning).toMatch(/^rejected at data-quality: last bar/);
  });

  it('a counter-trend SHORT falls below the confidence floor and reports it', async () => {
    const run = await runPipeline(
      longIdea({ direction: 'SHORT', entry: '112', stop: '113', targets: ['110'] }),
      config,
      deps(),
    );
    expect(run.approved).toBe(false);
    expect(run.stages.at(-1)?.name).toBe('confidence-floor');
    expect(run.lowConfidence?.threshold).toBe(0.55);
    expect(run.lowConfidence?.confidence).toBeLessThan(0.55);
  });

  it('rejects a poor risk:reward at the execution stage', async () => {
    const run = await runPipeline(longIdea({ targets: ['112.5'] }), config, deps());
    expect(run.approved).toBe(false);
    expect(run.stages.at(-1)).toMatchObject({ name: 'execution', passed: false });
  });

  it('an explicit request without direction or levels takes the scored side and ATR levels', async () => {
    const idea = {
      origin: 'request' as const,
      requestId: 'r1',
      symbol: 'BTCUSDT',
      connectorType: 'sim' as const,
      marketType: 'futures' as const,
      targets: [],
    };
    const run = await runPipeline(idea, config, deps());
    expect(run.direction).toBe('LONG');
    expect(run.approved).toBe(true);
    expect(run.plan?.entry).toBe('112.01');
  });

  it('fails at market context when the provider served nothing', async () => {
    const run = await runPipeline(
      longIdea(),
      config,
      deps(marketData({ candles: [], orderBook: undefined, errors: ['candles: BAD_GATEWAY'] })),
    );
    expect(run.stages).toHaveLength(1);
    expect(run.reasoning).toContain('BAD_GATEWAY');
  });

  it('a vetoing language model rejects; a failing one does not block', async () => {
    const synth = synthesisOn({ vetoOnDisagree: true });
    const veto: Synthesizer = {
      model: 'm',
      synthesize: async () => ({ verdict: 'disagree', confidence: 0.9, rationale: 'divergence' }),
    };
    expect((await runPipeline(longIdea(), synth, deps(marketData(), veto))).stages.at(-1)).toMatchObject({
      name: 'synthesis',
      passed: false,
    });
    const broken: Synthesizer = { model: 'm', synthesize: async () => Promise.reject(new Error('timeout')) };
    expect((await runPipeline(longIdea(), synth, deps(marketData(), broken))).approved).toBe(true);
  });

  it('a wide spread fails the sanity gate before any scoring', async () => {
    const data = marketData({ orderBook: orderBook('110', '114'), candles: candleSeries() });
    const run = await runPipeline(longIdea(), config, deps(data));
    expect(run.stages.at(-1)).toMatchObject({ name: 'data-quality', passed: false });
  });
});

function synthesisOn(extra: Record<string, unknown>) {
  return PipelineConfigSchema.parse({ synthesis: { enabled: true, baseUrl: 'http://127.0.0.1:9/v1', ...extra } });
}
