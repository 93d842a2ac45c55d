import { checkTotalExposure } from './exposure';
import { d, policies, snapshot } from './spec-helpers';

describe('total exposure', () => {
  const p = policies({ maxExposurePercent: '50' });

  it('allows exposure exactly at the limit', () => {
    const check = checkTotalExposure(
      snapshot({ exposure: { BTCUSDT: '3000', ETHUSDT: '1000' } }),
      { symbol: 'SOLUSDT', notional: d('1000') },
      p,
    );
    expect(check).toMatchObject({ passed: true, current: '5000', limit: '5000' });
  });

  it('blocks 0.00000001 above the limit', () => {
    const check = checkTotalExposure(
      snapshot({ exposure: { BTCUSDT: '4000' } }),
      { symbol: 'SOLUSDT', notional: d('1000.00000001') },
      p,
    );
    expect(check).toMatchObject({ passed: false, action: 'BLOCK', current: '5000.00000001', limit: '5000' });
  });

  it('scales with equity', () => {
    const check = checkTotalExposure(snapshot({ equity: d('9999.99') }), { symbol: 'BTCUSDT', notional: d('5000') }, p);
    expect(check).toMatchObject({ passed: false, limit: '4999.995' });
  });
});
