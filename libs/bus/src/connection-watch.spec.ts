import { createConnectionWatch } from './connection-watch';
import type { BusConnectionChange, BusStatus } from './types';

const status =
  (connected: boolean): (() => BusStatus) =>
  () => ({ transport: 'nats', connected, reconnects: 0, published: 0, received: 0, dropped: 0, pendingDurable: 0 });

describe('connection watch', () => {
  it('tells listeners each change once, however often the same state is reported', () => {
    const watch = createConnectionWatch(true, () => undefined);
    const heard: boolean[] = [];
    watch.watch((c) => void heard.push(c.connected));
    for (const next of [true, false, false, false, true, true, false, true]) watch.set(next, status(next));
    expect(heard).toEqual([false, true, false, true]);
  });

  it('stops telling a listener that unsubscribed, and everybody after clear()', () => {
    const watch = createConnectionWatch(true, () => undefined);
    const a: BusConnectionChange[] = [];
    const b: BusConnectionChange[] = [];
    const stopA = watch.watch((c) => void a.push(c));
    watch.watch((c) => void b.push(c));
    watch.set(false, status(false));
    stopA();
    watch.set(true, status(true));
    watch.clear();
    watch.set(false, status(false));
    expect(a.map((c) => c.connected)).toEqual([false]);
    expect(b.map((c) => c.status.connected)).toEqual([false, true]);
  });

  it('reports a throwing listener and still tells the others', () => {
    const errors: string[] = [];
    const watch = createConnectionWatch(true, (err) => void errors.push(err.message));
    const heard: boolean[] = [];
    watch.watch(() => {
      throw new Error('listener bug');
    });
    watch.watch((c) => void heard.push(c.connected));
    watch.set(false, status(false));
    expect(errors).toEqual(['listener bug']);
    expect(heard).toEqual([false]);
  });
});
