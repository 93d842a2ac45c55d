import type { NumericBar } from '../types';
import { RegimeConfigSchema, efficiencyRatio, regimeStage } from './regime';

const config = RegimeConfigSchema.parse({ lookback: 5, trendEfficiency: 0.5, volatileAtrPct: 2 });
const bars = (closes: number[]): NumericBar[] =>
  closes.map((close, time) => ({ time, open: close, high: close, low: close, close, volume: 1 }));

describe('regime stage', () => {
  it('computes the efficiency ratio as net move over path length', () => {
    expect(efficiencyRatio([1, 2, 3, 4])).toBe(1);
    expect(efficiencyRatio([1, 2, 1, 2])).toBeCloseTo(1 / 3, 12);
    expect(efficiencyRatio([5, 5, 5])).toBe(0);
  });

  it('a steady rise is a TREND and keeps a LONG conviction whole', () => {
    const out = regimeStage({ bars: bars([1, 2, 3, 4, 5]), atrPct: 0.5, direction: 'LONG', conviction: 0.8 }, config);
    expect(out.data.regime).toBe('TREND');
    expect(out.data.trendSide).toBe('LONG');
    expect(out.data.calibrated).toBeCloseTo(0.8, 12);
  });

  it('scales a counter-trend idea down', () => {
    const out = regimeStage({ bars: bars([1, 2, 3, 4, 5]), atrPct: 0.5, direction: 'SHORT', conviction: 0.8 }, config);
    expect(out.data.factor).toBeCloseTo(0.7, 12);
    expect(out.reason).toContain('against the trend');
  });

  it('chop is a RANGE; the efficiency threshold is inclusive', () => {
    expect(
      regimeStage({ bars: bars([1, 2, 1, 2, 1]), atrPct: 0.5, direction: 'LONG', conviction: 1 }, config).data,
    ).toMatchObject({ regime: 'RANGE', calibrated: 0.85 });
    // net 2 over path 4 = exactly 0.5
    expect(
      regimeStage({ bars: bars([1, 2, 1, 2, 3]), atrPct: 0.5, direction: 'LONG', conviction: 1 }, config).data.regime,
    ).toBe('TREND');
  });

  it('ATR at the volatile threshold wins over direction', () => {
    const out = regimeStage({ bars: bars([1, 2, 3, 4, 5]), atrPct: 2, direction: 'LONG', conviction: 1 }, config);
    expect(out.data).toMatchObject({ regime: 'VOLATILE', calibrated: 0.6 });
    expect(
      regimeStage({ bars: bars([1, 2, 3, 4, 5]), atrPct: 1.999, direction: 'LONG', conviction: 1 }, config).data.regime,
    ).toBe('TREND');
  });

  it('only reads the lookback window', () => {
    const out = regimeStage({ bars: bars([50, 1, 2, 1, 2, 1]), atrPct: 0.5, direction: 'LONG', conviction: 1 }, config);
    expect(out.data.regime).toBe('RANGE');
  });
});
