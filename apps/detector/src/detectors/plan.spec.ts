import { builtinDetector } from './definitions';
import { detectorSnapshot, ownsSymbol, paramsFor, resolvePlan, withTimeframes } from './plan';
import type { DetectorPlan, PlanInput } from './plan';
import { AppError } from '@barfinex/service-kit';

const input: PlanInput = {
  appKey: 'det',
  symbols: [],
  intervals: [],
  connectorType: 'sim',
  marketType: 'spot',
  params: { 'ema-cross-atr': { fast: 4 } },
};
const remote = {
  key: 'det',
  symbols: [{ name: 'BTCUSDT' }, { name: 'ETHUSDT' }],
  intervals: ['min5'],
  connectorType: 'binance',
  marketType: 'futures',
  params: { 'ema-cross-atr': { fast: 3, slow: 8 } },
};

describe('detector plan', () => {
  it('takes symbols from the environment when set', async () => {
    const plan = await resolvePlan(
      { ...input, symbols: ['btcusdt'] },
      { detectors: { get: async () => remote } } as never,
      () => undefined,
    );
    expect(plan).toMatchObject({ source: 'env', symbols: ['BTCUSDT'], connectorType: 'sim' });
  });

  it('otherwise reads the provider config of its key, environment params on top', async () => {
    const plan = await resolvePlan(input, { detectors: { get: async () => remote } } as never, () => undefined);
    expect(plan).toMatchObject({
      source: 'provider',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['min5'],
      connectorType: 'binance',
      marketType: 'futures',
    });
    expect(plan.params).toEqual({ 'ema-cross-atr': { fast: 4, slow: 8 } });
  });

  it('falls back to defaults when the provider has no config (quietly) or is unreachable (reported)', async () => {
    const problems: unknown[] = [];
    const missing = { detectors: { get: async () => Promise.reject(new AppError('NOT_FOUND', 'x')) } } as never;
    const down = { detectors: { get: async () => Promise.reject(new AppError('UNAVAILABLE', 'down')) } } as never;
    expect((await resolvePlan(input, missing, (e) => problems.push(e))).source).toBe('defaults');
    expect(problems).toHaveLength(0);
    expect((await resolvePlan(input, down, (e) => problems.push(e))).symbols).toEqual([]);
    expect(problems).toHaveLength(1);
  });

  it('picks params by detector name, or flat for a lone detector, and overrides time frames', () => {
    const ema = builtinDetector('ema-cross-atr');
    const plan: DetectorPlan = {
      symbols: [],
      intervals: [],
      connectorType: 'sim',
      marketType: 'spot',
      source: 'env',
      params: { fast: 5 },
    };
    expect(paramsFor({ ...plan, params: { 'ema-cross-atr': { fast: 6 } } }, ema, 2)).toEqual({ fast: 6 });
    expect(paramsFor({ ...plan }, ema, 1)).toEqual({ fast: 5 });
    expect(paramsFor({ ...plan }, ema, 2)).toBeUndefined();
    expect(withTimeframes(ema, ['h1']).inputs.timeframes).toEqual(['h1']);
    expect(withTimeframes(ema, [])).toBe(ema);
  });

  it('splits symbols between partition members, each symbol to exactly one', () => {
    const symbols = Array.from({ length: 40 }, (_, i) => `SYM${i}USDT`);
    const owners = symbols.map((s) => [0, 1, 2].filter((index) => ownsSymbol(s, { index, count: 3 })));
    expect(owners.every((o) => o.length === 1)).toBe(true);
    expect(new Set(owners.map((o) => o[0])).size).toBe(3);
    expect(ownsSymbol('ANY', { index: 0, count: 1 })).toBe(true);
  });
  describe('snapshot sent to the provider', () => {
    const runtime = {
      restApiUrl: 'http://det:8083',
      version: '1.2.3',
      detectors: ['ema-cross-atr'],
      partition: { index: 0, count: 1 },
      envIntervals: false,
    };

    it('carries what the environment chose, so the provider row shows what runs', async () => {
      const plan = await resolvePlan(
        { ...input, symbols: ['btcusdt'], intervals: ['min5'] },
        { detectors: { get: async () => remote } } as never,
        () => undefined,
      );
      expect(detectorSnapshot(plan, { ...runtime, envIntervals: true })).toEqual({
        restApiUrl: 'http://det:8083',
        version: '1.2.3',
        detectors: ['ema-cross-atr'],
        partition: { index: 0, count: 1 },
        symbols: ['BTCUSDT'],
        connectorType: 'sim',
        marketType: 'spot',
        intervals: ['min5'],
      });
    });

    it("never sends back what it read from the provider's config, nor the operator's flags", async () => {
      const plan = await resolvePlan(input, { detectors: { get: async () => remote } } as never, () => undefined);
      const snapshot = detectorSnapshot(plan, runtime);
      expect(Object.keys(snapshot).sort()).toEqual(['detectors', 'partition', 'restApiUrl', 'version']);
      // Defaults (no config yet): an empty symbol list means "every symbol", which must not overwrite a config made later.
      const defaults = await resolvePlan(
        input,
        { detectors: { get: async () => Promise.reject(new AppError('NOT_FOUND', 'x')) } } as never,
        () => undefined,
      );
      expect(detectorSnapshot(defaults, runtime)).not.toHaveProperty('symbols');
      expect(detectorSnapshot(defaults, runtime)).not.toHaveProperty('isActive');
    });
  });
});
