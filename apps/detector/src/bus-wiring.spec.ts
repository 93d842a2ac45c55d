import pino from 'pino';
import { createMemoryBus } from '@barfinex/bus';
import { EVENT_EXAMPLES } from '@barfinex/events';
import type { DetectorEmission } from '@barfinex/detector-kit';
import { createPublisher } from './bus-wiring';

const signal = {
  name: 'DETECTOR_SIGNAL_GENERATED',
  payload: EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED,
  meta: { correlationId: 'sig-1' },
} as unknown as DetectorEmission;
const request = {
  name: 'DETECTOR_POSITION_OPEN_REQUEST',
  payload: EVENT_EXAMPLES.DETECTOR_POSITION_OPEN_REQUEST,
  meta: { correlationId: 'sig-1' },
} as unknown as DetectorEmission;

describe('detector publisher', () => {
  it.each([
    [false, ['DETECTOR_SIGNAL_GENERATED']],
    [true, ['DETECTOR_SIGNAL_GENERATED', 'DETECTOR_POSITION_OPEN_REQUEST']],
  ])('position requests enabled=%s publishes %j', async (positionRequests, expected) => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    await bus.subscribeAll((env) => void seen.push(env.type));
    const publisher = createPublisher({ bus, appKey: 'detector', logger: pino({ level: 'silent' }), positionRequests });
    publisher.publish(signal);
    publisher.publish(request);
    await publisher.idle();
    expect(seen).toEqual(expected);
    expect(publisher.failures()).toBe(0);
    await bus.close();
  });

  it('is busy only while something is being published, also when publishing fails', async () => {
    const bus = createMemoryBus();
    const publisher = createPublisher({
      bus,
      appKey: 'detector',
      logger: pino({ level: 'silent' }),
      positionRequests: true,
    });
    expect(publisher.busy()).toBe(false);
    publisher.publish(signal);
    publisher.publish({ ...signal, payload: { ...signal.payload, confidence: 7 } } as DetectorEmission);
    expect(publisher.busy()).toBe(true);
    await publisher.idle();
    expect(publisher.busy()).toBe(false);
    expect(publisher.failures()).toBe(1);
    await bus.close();
  });
});
