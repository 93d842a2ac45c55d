import { memoryLogger } from '../test-support';
import { logBusConnection } from './bus-connection-log';
import type { WatchableBus, WatchedBusStatus } from './bus-connection-log';

/** A bus whose status stream the test writes, repeats and retries included. */
function fakeBus() {
  const listeners = new Set<(change: { connected: boolean; status: WatchedBusStatus }) => void>();
  const bus: WatchableBus = {
    watchConnection(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  const send = (connected: boolean, status: Partial<WatchedBusStatus> = {}): void => {
    for (const l of listeners) l({ connected, status: { connected, ...status } });
  };
  return { bus, send, listeners };
}

describe('logBusConnection', () => {
  it('logs one warning per loss and one info per return, not one per retry', () => {
    const { bus, send } = fakeBus();
    const { logger, records } = memoryLogger('detector');
    let clock = 1_000;
    logBusConnection({ bus, logger, now: () => clock });

    send(false, { server: '127.0.0.1:4222', reconnects: 0, lastError: 'connection refused' });
    for (let retry = 0; retry < 5; retry += 1) send(false, { reconnects: 0 });
    clock += 4_000;
    send(true, { server: '127.0.0.1:4222', reconnects: 1, dropped: 3 });
    send(true, { reconnects: 1 });
    send(false, { reconnects: 1 });
    send(true, { reconnects: 2 });

    const lines = records().map((r) => ({
      level: r['level'],
      msg: r['msg'],
      downMs: r['downMs'],
      reconnects: r['reconnects'],
    }));
    expect(lines).toEqual([
      { level: 40, msg: expect.stringMatching(/^bus disconnected/), downMs: undefined, reconnects: 0 },
      { level: 30, msg: 'bus reconnected', downMs: 4_000, reconnects: 1 },
      { level: 40, msg: expect.stringMatching(/^bus disconnected/), downMs: undefined, reconnects: 1 },
      { level: 30, msg: 'bus reconnected', downMs: 0, reconnects: 2 },
    ]);
    expect(records()[0]).toMatchObject({
      component: 'detector',
      server: '127.0.0.1:4222',
      lastError: 'connection refused',
    });
    expect(records()[1]).toMatchObject({ dropped: 3 });
  });

  it('stops logging when its stop function is called', () => {
    const { bus, send, listeners } = fakeBus();
    const { logger, records } = memoryLogger();
    const stop = logBusConnection({ bus, logger });
    stop();
    send(false);
    expect(listeners.size).toBe(0);
    expect(records()).toEqual([]);
  });
});
