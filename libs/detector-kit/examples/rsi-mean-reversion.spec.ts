import { refRsi } from '../src/indicators/reference';
import { exampleCandles, runExample } from './rsi-mean-reversion';

const at = (hhmm: string, day = 1) => Date.parse(`2024-01-0${day}T${hhmm}:59.999Z`);

describe('example: RSI mean reversion', () => {
  const result = runExample();

  it('emits exactly these signals on the seeded dataset', () => {
    expect(result.errors).toEqual([]);
    expect(
      result.signals.map((s) => [
        s.createdAt,
        s.direction,
        s.entry?.price,
        s.stop?.price,
        s.targets?.[0]?.price,
        Number(s.confidence.toFixed(3)),
      ]),
    ).toEqual([
      [at('02:34'), 'LONG', '2407.24', '2383.17', '2417.36', 0.538],
      [at('03:54'), 'LONG', '2311.13', '2288.02', '2342.03', 0.506],
      [at('12:54'), 'SHORT', '2405.77', '2429.83', '2348.09', 0.567],
      [at('16:14'), 'LONG', '2328.41', '2305.13', '2391.4', 0.528],
      [at('00:49', 2), 'SHORT', '2354.37', '2377.91', '2319.36', 0.592],
      [at('05:29', 2), 'LONG', '2250.58', '2228.07', '2312.83', 0.514],
      [at('06:59', 2), 'SHORT', '2349.77', '2373.27', '2304.02', 0.501],
    ]);
  });

  it('closes each trade by stop, target or the RSI midline', () => {
    const reasons = result.events
      .filter((e) => e.name === 'DETECTOR_SIGNAL_INVALIDATED')
      .map((e) => (e.payload as { reason: string }).reason);
    expect(reasons).toEqual([
      'stop hit',
      'target reached',
      'stop hit',
      'stop hit',
      'stop hit',
      'RSI back at 50',
      'RSI back at 50',
    ]);
    expect(result.events.filter((e) => e.name === 'DETECTOR_POSITION_CLOSE_REQUEST')).toHaveLength(7);
    expect(result.position).toBeUndefined();
  });

  it('signals exactly where a naive RSI leaves 30 or 70', () => {
    const candles = exampleCandles();
    const r = refRsi(
      candles.map((c) => c.close),
      14,
    );
    for (const s of result.signals) {
      const i = candles.findIndex((c) => c.time + 299_999 === s.createdAt);
      const [before, now] = [r[i - 1] ?? NaN, r[i] ?? NaN];
      if (s.direction === 'LONG') expect(before < 30 && now >= 30).toBe(true);
      else expect(before > 70 && now <= 70).toBe(true);
    }
  });
});
