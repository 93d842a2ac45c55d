import { computeOutcome, defaultLevels, levelsValid } from './outcome';

describe('trade outcome numbers', () => {
  it('long take-profit: pnl net of fees and the R multiple', () => {
    const o = computeOutcome({
      side: 'LONG',
      entryPrice: '60000',
      exitPrice: '61500',
      quantity: '0.1',
      stopLoss: '59500',
      fees: '2.43',
    });
    expect(o).toEqual({ pnl: '147.57', pnlPct: '2.4595', rMultiple: '2.9514', isWin: true });
  });

  it('short stop-loss loses exactly one R before fees', () => {
    const o = computeOutcome({
      side: 'SHORT',
      entryPrice: '100.1',
      exitPrice: '100.3',
      quantity: '3',
      stopLoss: '100.3',
    });
    expect(o).toEqual({ pnl: '-0.6', pnlPct: '-0.1998002', rMultiple: '-1', isWin: false });
  });

  it('break-even is not a win and has no R without a stop', () => {
    const o = computeOutcome({ side: 'LONG', entryPrice: '0.1', exitPrice: '0.1', quantity: '0.3' });
    expect(o).toEqual({ pnl: '0', pnlPct: '0', isWin: false });
  });

  it('default levels are exact percentages on the right sides', () => {
    const long = defaultLevels('LONG', '60000', '0.5', '2.5');
    expect([long.stopLoss.toFixed(), long.takeProfit.toFixed()]).toEqual(['59700', '61500']);
    const short = defaultLevels('SHORT', '0.3', '10', '20');
    expect([short.stopLoss.toFixed(), short.takeProfit.toFixed()]).toEqual(['0.33', '0.24']);
  });

  it('rejects levels on the wrong side of the entry', () => {
    expect(levelsValid('LONG', '100', '99', '101')).toBe(true);
    expect(levelsValid('LONG', '100', '100', '101')).toBe(false);
    expect(levelsValid('SHORT', '100', '99', '101')).toBe(false);
  });
});
