import { D } from './decimal';
import { createBacktestVenue } from './venue';

const MIN = 60_000;
const venueAt100 = () =>
  createBacktestVenue({ firstPrice: '100', startTime: 0, initialBalance: '10000', fees: { maker: '0', taker: '0' } });
const bar = (open: number, high: number, low: number, close: number) => ({
  time: MIN,
  open: String(open),
  high: String(high),
  low: String(low),
  close: String(close),
});

describe('backtest venue intrabar fills', () => {
  it('fills a take-profit at its level, not at the high the bar reached after it', () => {
    const v = venueAt100();
    v.open({ time: MIN - 1, price: '100' }, 'LONG', new D(1), { stop: '95', target: '105' });
    v.bar(bar(100, 110, 99, 100), MIN);
    const [trade] = v.trades();
    expect(trade?.exitReason).toBe('target');
    expect(new D(trade?.exitPrice ?? 0).minus(105).abs().lte('0.0001')).toBe(true);
  });

  it('fills a stop at its level when the bar trades through it', () => {
    const v = venueAt100();
    v.open({ time: MIN - 1, price: '100' }, 'LONG', new D(1), { stop: '95', target: '105' });
    v.bar(bar(100, 101, 90, 100), MIN);
    const [trade] = v.trades();
    expect(trade?.exitReason).toBe('stop');
    expect(new D(trade?.exitPrice ?? 0).minus(95).abs().lte('0.0001')).toBe(true);
  });

  it('fills a short take-profit at its level on the way down', () => {
    const v = venueAt100();
    v.open({ time: MIN - 1, price: '100' }, 'SHORT', new D(1), { stop: '105', target: '95' });
    v.bar(bar(100, 101, 90, 100), MIN);
    const [trade] = v.trades();
    expect(trade?.exitReason).toBe('target');
    expect(new D(trade?.exitPrice ?? 0).minus(95).abs().lte('0.0001')).toBe(true);
  });

  it('fills at the open when the bar gaps through the stop', () => {
    const v = venueAt100();
    v.open({ time: MIN - 1, price: '100' }, 'LONG', new D(1), { stop: '95', target: '105' });
    v.bar(bar(90, 92, 88, 91), MIN);
    const [trade] = v.trades();
    expect(trade?.exitReason).toBe('stop');
    expect(new D(trade?.exitPrice ?? 0).minus(90).abs().lte('0.0001')).toBe(true);
  });

  it('takes the stop when one bar reaches both stop and target (the pessimistic order)', () => {
    const v = venueAt100();
    v.open({ time: MIN - 1, price: '100' }, 'LONG', new D(1), { stop: '95', target: '105' });
    v.bar(bar(100, 110, 90, 100), MIN);
    expect(v.trades().map((t) => t.exitReason)).toEqual(['stop']);
    expect(v.cash().toFixed()).toBe(v.walletBalance());
  });
});
