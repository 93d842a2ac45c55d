import { runBusContract } from './contract';
import { LIVE_EVENT, DURABLE_EVENT, durablePayload, livePayload } from './contract-fixtures';
import { eventually } from './contract-harness';
import { createMemoryBus } from './memory';
import { eventSubject } from './subjects';

runBusContract('memory', async ({ onError, now }) => {
  const bus = createMemoryBus({ onError, now });
  return {
    bus,
    id: 'memory',
    publishRaw: async (name, symbol, text) => bus.publishRaw(eventSubject(name, symbol), text),
    close: () => bus.close(),
  };
});

describe('memory bus specifics', () => {
  it('keeps a bounded durable log: a consumer that fell too far behind is told what it lost', async () => {
    const errors: string[] = [];
    const bus = createMemoryBus({ maxRetained: 3, onError: (err) => errors.push(err.message) });
    const seen: string[] = [];
    const sub = await bus.subscribe(DURABLE_EVENT, (env) => void seen.push(env.payload.orderId), { durable: 'slow' });
    await sub.unsubscribe();
    for (let i = 0; i < 10; i += 1) await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', i));
    await bus.subscribe(DURABLE_EVENT, (env) => void seen.push(env.payload.orderId), { durable: 'slow' });
    await eventually(() => expect(seen).toEqual(['order-7', 'order-8', 'order-9']));
    expect(errors).toEqual([expect.stringMatching(/^7 retained PROVIDER_ORDER_FILL events expired/)]);
    await bus.close();
  });

  it('delivers asynchronously: a handler never runs inside publish', async () => {
    const bus = createMemoryBus();
    let inside = false;
    let ranInside: boolean | undefined;
    await bus.subscribe(LIVE_EVENT, () => {
      ranInside = inside;
    });
    inside = true;
    const sent = bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
    inside = false;
    await sent;
    await eventually(() => expect(ranInside).toBe(false));
    await bus.close();
  });

  it('gives each subscriber its own copy of the envelope', async () => {
    const bus = createMemoryBus();
    const copies: object[] = [];
    await bus.subscribe(LIVE_EVENT, (env) => void copies.push(env));
    await bus.subscribe(LIVE_EVENT, (env) => void copies.push(env));
    const sent = await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
    await eventually(() => expect(copies).toHaveLength(2));
    expect(copies[0]).toEqual(sent);
    expect(copies[0]).not.toBe(copies[1]);
    await bus.close();
  });
});
