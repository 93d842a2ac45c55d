import { checkDrawdown, drawdownPercent } from './drawdown';
import { d, policies, snapshot } from './spec-helpers';

describe('max drawdown (kill switch)', () => {
  const p = policies({ maxDrawdownPercent: '10' });

  it('trips exactly at the limit with CLOSE_ALL', () => {
    const check = checkDrawdown(snapshot({ peakEquity: d('10000'), equity: d('9000') }), p);
    expect(check).toMatchObject({ passed: false, action: 'CLOSE_ALL', current: '10', limit: '10' });
    expect(check.reason).toContain('peak equity 10000');
  });

  it('passes one cent before the limit', () => {
    const check = checkDrawdown(snapshot({ peakEquity: d('10000'), equity: d('9000.01') }), p);
    expect(check).toMatchObject({ passed: true, current: '9.9999' });
  });

  it('measures from the current equity when it is a new peak', () => {
    expect(drawdownPercent({ peakEquity: d('100'), equity: d('120') }).toFixed()).toBe('0');
  });

  it('is off at 0 and safe with no equity', () => {
    expect(checkDrawdown(snapshot({ equity: d('1') }), policies({ maxDrawdownPercent: '0' })).passed).toBe(true);
    expect(drawdownPercent({ peakEquity: d('0'), equity: d('0') }).toFixed()).toBe('0');
  });

  it('rounds repeating fractions to 8 places in the audit numbers', () => {
    const check = checkDrawdown(
      snapshot({ peakEquity: d('3'), equity: d('2') }),
      policies({ maxDrawdownPercent: '50' }),
    );
    expect(check.current).toBe('33.33333333');
  });
});
