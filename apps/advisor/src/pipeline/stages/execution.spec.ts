import Decimal from 'decimal.js';
import type { MarketView } from './market-context';
import { ExecutionConfigSchema, executionStage } from './execution';

const config = ExecutionConfigSchema.parse({ maxSpreadPct: '0.1', minRiskReward: '1.5' });
const view = (spread = '0.05', bid = '99.95', ask = '100.05'): MarketView => ({
  bars: [],
  spreadPct: new Decimal(spread),
  bestBid: new Decimal(bid),
  bestAsk: new Decimal(ask),
  lastPrice: new Decimal('100'),
});

describe('execution stage', () => {
  it('approves a risk:reward of exactly the minimum and refuses one tick less', () => {
    const ok = executionStage({ direction: 'LONG', entry: '100', stop: '90', targets: ['115'] }, view(), config);
    expect(ok.passed).toBe(true);
    expect(ok.data).toEqual({ entry: '100', stopLoss: '90', takeProfit: '115', riskReward: '1.5' });
    const short = executionStage({ direction: 'LONG', entry: '100', stop: '90', targets: ['114.99'] }, view(), config);
    expect(short.passed).toBe(false);
    expect(short.reason).toContain('risk:reward 1.499 < 1.5');
  });

  it('is decimal-exact where binary floats are not (0.1 + 0.2 style prices)', () => {
    // In floats (1.65 - 0.9) / (0.9 - 0.4) is 1.4999999999999998.
    expect((1.65 - 0.9) / (0.9 - 0.4)).toBeLessThan(1.5);
    const out = executionStage({ direction: 'LONG', entry: '0.9', stop: '0.4', targets: ['1.65'] }, view(), config);
    expect(out.passed).toBe(true);
    expect(out.data?.riskReward).toBe('1.5');
  });

  it('validates a SHORT with stop above and target below the entry', () => {
    expect(
      executionStage({ direction: 'SHORT', entry: '100', stop: '102', targets: ['97'] }, view(), config).passed,
    ).toBe(true);
    const wrong = executionStage({ direction: 'SHORT', entry: '100', stop: '98', targets: ['97'] }, view(), config);
    expect(wrong.passed).toBe(false);
    expect(wrong.reason).toContain('levels inconsistent for SHORT');
  });

  it('checks the nearest target', () => {
    const out = executionStage(
      { direction: 'LONG', entry: '100', stop: '90', targets: ['130', '112'] },
      view(),
      config,
    );
    expect(out.passed).toBe(false);
    expect(out.data?.takeProfit).toBe('112');
  });

  it('allows a spread of exactly the limit and refuses anything wider', () => {
    expect(
      executionStage({ direction: 'LONG', entry: '100', stop: '90', targets: ['120'] }, view('0.1'), config).passed,
    ).toBe(true);
    const wide = executionStage(
      { direction: 'LONG', entry: '100', stop: '90', targets: ['120'] },
      view('0.1000001'),
      config,
    );
    expect(wide.passed).toBe(false);
    expect(wide.reason).toContain('spread');
  });

  it('without detector levels enters at the touch and derives stop and target from the ATR', () => {
    const out = executionStage({ direction: 'LONG', targets: [], atr: '2' }, view(), config);
    expect(out.data).toEqual({ entry: '100.05', stopLoss: '97.05', takeProfit: '106.05', riskReward: '2' });
    const sell = executionStage({ direction: 'SHORT', targets: [], atr: '2' }, view(), config);
    expect(sell.data?.entry).toBe('99.95');
    expect(sell.data?.stopLoss).toBe('102.95');
  });

  it('fails when there is nothing to validate', () => {
    expect(executionStage({ direction: 'LONG', entry: '100', targets: [] }, view(), config).reason).toBe(
      'no entry, stop or target to validate',
    );
  });
});
