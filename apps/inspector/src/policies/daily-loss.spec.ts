import { checkDailyLoss } from './daily-loss';
import { d, policies, snapshot } from './spec-helpers';

describe('daily loss limit', () => {
  const p = policies({ maxDailyLossPercent: '5' });

  it('stands down exactly at the limit (500 lost from a 10000 day start)', () => {
    const check = checkDailyLoss(snapshot({ equity: d('9500'), dailyPnl: d('-500') }), p);
    expect(check).toMatchObject({ passed: false, action: 'STAND_DOWN', current: '5', limit: '5' });
  });

  it('passes just below the limit', () => {
    const check = checkDailyLoss(snapshot({ equity: d('9500.01'), dailyPnl: d('-499.99') }), p);
    expect(check).toMatchObject({ passed: true, current: '4.9999' });
  });

  it('ignores a profitable day', () => {
    expect(checkDailyLoss(snapshot({ equity: d('11000'), dailyPnl: d('1000') }), p)).toMatchObject({
      passed: true,
      current: '0',
    });
  });
});
