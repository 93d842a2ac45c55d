import { createEnvelope } from '@barfinex/events';
import { toSinkRow } from '../areas/eventsink/eventsink.repository';
import { rowToSinkRecord } from '../areas/eventsink/eventsink.subscriber';
import { recordToEnvelope, toSinkRecord } from './sink-record';

describe('an event rebuilt from storage', () => {
  it('is the envelope that was published, the publishing app key included', () => {
    const env = createEnvelope(
      'DETECTOR_SIGNAL_INVALIDATED',
      { signalId: 's-1', detectorKey: 'detector', symbol: 'BTCUSDT', reason: 'data gap' },
      { key: 'detector', eventId: 'e-1', timestamp: Date.UTC(2026, 0, 5), symbol: 'BTCUSDT', correlationId: 's-1' },
    );
    // Through the sink's row (what a resumed socket reads back) and through the live record.
    expect(recordToEnvelope(rowToSinkRecord(toSinkRow(env)))).toEqual(env);
    expect(recordToEnvelope(toSinkRecord(env))).toEqual(env);
  });
});
