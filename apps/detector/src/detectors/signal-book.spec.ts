import type { DetectorEmission } from '@barfinex/detector-kit';
import { createSignalBook } from './signal-book';

function generated(signalId: string, at: number): DetectorEmission {
  return {
    name: 'DETECTOR_SIGNAL_GENERATED',
    payload: {
      signalId,
      detectorKey: 'ema-cross',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      timeframe: 'min1',
    },
    meta: { timestamp: at },
  } as unknown as DetectorEmission;
}

describe('signal book', () => {
  it('keeps the newest signals up to its capacity, newest first, and forgets the oldest', () => {
    const book = createSignalBook(3);
    for (let i = 1; i <= 5; i++) book.record('ema-cross', generated(`s${i}`, i));
    expect(book.size()).toBe(3);
    expect(book.get('s1')).toBeUndefined();
    expect(book.get('s2')).toBeUndefined();
    expect(book.list({ page: 1, limit: 10 }).items.map((r) => r.signalId)).toEqual(['s5', 's4', 's3']);
  });

  it('applies updates and invalidations to a kept signal and ignores forgotten ones', () => {
    const book = createSignalBook(2);
    book.record('ema-cross', generated('a', 1));
    book.record('ema-cross', generated('b', 2));
    book.record('ema-cross', {
      name: 'DETECTOR_SIGNAL_INVALIDATED',
      payload: { signalId: 'b', reason: 'stop hit' },
      meta: { timestamp: 3 },
    } as unknown as DetectorEmission);
    book.record('ema-cross', generated('c', 4));
    book.record('ema-cross', {
      name: 'DETECTOR_SIGNAL_UPDATED',
      payload: { signalId: 'a' },
      meta: { timestamp: 5 },
    } as unknown as DetectorEmission);
    expect(book.get('a')).toBeUndefined();
    expect(book.get('b')).toMatchObject({ status: 'invalidated', invalidatedReason: 'stop hit', updatedAt: 3 });
    expect(book.list({ page: 1, limit: 10, status: 'active' }).items.map((r) => r.signalId)).toEqual(['c']);
  });
});
