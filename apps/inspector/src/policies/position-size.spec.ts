import { checkPositionSize } from './position-size';
import { d, policies, snapshot } from './spec-helpers';

describe('position size per symbol', () => {
  const p = policies({ maxPositionPercent: '20' });

  it('allows a position exactly at the cap (20% of 10000 = 2000)', () => {
    const check = checkPositionSize(
      snapshot({ exposure: { BTCUSDT: '1500' } }),
      { symbol: 'BTCUSDT', notional: d('500') },
      p,
    );
    expect(check).toMatchObject({ passed: true, current: '2000', limit: '2000' });
  });

  it('blocks one smallest unit above the cap, decimal-exact', () => {
    const check = checkPositionSize(
      snapshot({ exposure: { BTCUSDT: '1500.1' } }),
      { symbol: 'BTCUSDT', notional: d('499.900000000000000001') },
      p,
    );
    expect(check).toMatchObject({ passed: false, action: 'BLOCK', limit: '2000' });
    expect(check.reason).toContain('above the per-symbol cap 2000');
  });

  it('sums 0.1 + 0.2 without float error', () => {
    const check = checkPositionSize(
      snapshot({ exposure: { ETHUSDT: '0.1' } }),
      { symbol: 'ETHUSDT', notional: d('0.2') },
      policies({ maxPositionNotional: '0.3' }),
    );
    expect(check).toMatchObject({ passed: true, current: '0.3', limit: '0.3' });
  });

  it('uses the smaller of the absolute and percentage caps', () => {
    const check = checkPositionSize(
      snapshot(),
      { symbol: 'BTCUSDT', notional: d('1000.01') },
      policies({ maxPositionNotional: '1000' }),
    );
    expect(check).toMatchObject({ passed: false, limit: '1000', current: '1000.01' });
  });

  it('counts only the same symbol', () => {
    const check = checkPositionSize(
      snapshot({ exposure: { ETHUSDT: '5000' } }),
      { symbol: 'BTCUSDT', notional: d('2000') },
      p,
    );
    expect(check.passed).toBe(true);
  });
});
