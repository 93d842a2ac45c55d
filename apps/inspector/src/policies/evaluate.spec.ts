import { evaluateEntry } from './evaluate';
import { d, policies, snapshot } from './spec-helpers';

describe('evaluateEntry', () => {
  it('allows when every policy passes and keeps every number', () => {
    const verdict = evaluateEntry(snapshot(), { symbol: 'BTCUSDT', notional: d('100') }, policies());
    expect(verdict.action).toBe('ALLOW');
    expect(verdict.checks.map((c) => c.policy)).toEqual([
      'maxDrawdown',
      'dailyLoss',
      'consecutiveLosses',
      'noTradeWindow',
      'cooldown',
      'tradesPerDay',
      'positionSize',
      'totalExposure',
    ]);
  });

  it('the most severe breach decides: drawdown (CLOSE_ALL) over size (BLOCK) and trades (THROTTLE)', () => {
    const s = snapshot({ equity: d('8000'), peakEquity: d('10000'), tradesToday: 50 });
    const verdict = evaluateEntry(s, { symbol: 'BTCUSDT', notional: d('1000000') }, policies());
    expect(verdict.action).toBe('CLOSE_ALL');
    expect(verdict.decisive?.policy).toBe('maxDrawdown');
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.policy)).toEqual([
      'maxDrawdown',
      'tradesPerDay',
      'positionSize',
      'totalExposure',
    ]);
  });

  it('the first listed decides among equal severities', () => {
    const verdict = evaluateEntry(snapshot(), { symbol: 'BTCUSDT', notional: d('1000000') }, policies());
    expect(verdict.decisive?.policy).toBe('positionSize');
  });
});
