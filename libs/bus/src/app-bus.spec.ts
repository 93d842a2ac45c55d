import { connectAppBus } from './app-bus';

describe('connectAppBus', () => {
  it('runs on the in-memory bus without NATS_URL, and says so', async () => {
    const warnings: unknown[] = [];
    const bus = await connectAppBus({
      natsUrl: undefined,
      name: 'advisor-a',
      subjectPrefix: 'bfx',
      streamName: 'BFX',
      logger: { warn: (m: unknown) => void warnings.push(m) },
    });
    expect(bus.status().connected).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('NATS_URL is not set')]);
    await bus.close();
  });
});
