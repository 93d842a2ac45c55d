import { decimalsOf, formatFixed, formatTime, snapToStep } from './format';

describe('format', () => {
  it('reads decimals from a step string', () => {
    expect(decimalsOf('0.0100')).toBe(2);
    expect(decimalsOf('1')).toBe(0);
    expect(decimalsOf('0.00001')).toBe(5);
  });

  it('snaps prices to the nearest tick and quantities down to the step', () => {
    expect(snapToStep('100.037', '0.01', 'nearest')).toBe('100.04');
    expect(snapToStep('0.12345', '0.001', 'floor')).toBe('0.123');
    expect(snapToStep('0.3', '0.1', 'floor')).toBe('0.3');
    expect(snapToStep('abc', '0.1', 'floor')).toBe('abc');
  });

  it('formats with fixed places and a dash for nothing', () => {
    expect(formatFixed('1234.5', 2)).toBe('1,234.50');
    expect(formatFixed(undefined, 2)).toBe('—');
  });

  it('shows UTC when asked', () => {
    expect(formatTime(Date.UTC(2026, 0, 5, 13, 4, 5), 'utc')).toBe('05/01/2026, 13:04:05');
    expect(formatTime(Date.UTC(2026, 0, 5, 13, 4, 5), 'utc', false)).toBe('13:04:05');
  });
});
