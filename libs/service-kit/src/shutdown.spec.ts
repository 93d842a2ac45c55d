import { EventEmitter } from 'node:events';
import { createShutdown } from './shutdown';
import { memoryLogger } from './test-support';

function setup(timeoutMs = 1000) {
  const log = memoryLogger('shutdown');
  const signals = new EventEmitter();
  const exits: number[] = [];
  const clock = { t: 1_000_000 };
  const shutdown = createShutdown({
    logger: log.logger,
    timeoutMs,
    exit: (code) => exits.push(code),
    signals,
    now: () => clock.t,
  });
  return { shutdown, signals, exits, log, clock };
}

async function until(condition: () => boolean, deadlineMs = 2000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('createShutdown', () => {
  it('runs steps in reverse order of registration, once', async () => {
    const { shutdown } = setup();
    const order: string[] = [];
    shutdown.add('database', () => {
      order.push('database');
    });
    shutdown.add('bus', async () => {
      await Promise.resolve();
      order.push('bus');
    });
    shutdown.add('http', () => {
      order.push('http');
    });
    const first = shutdown.run('test');
    expect(shutdown.run('again')).toBe(first);
    expect(await first).toEqual({ ok: true, failed: [] });
    expect(order).toEqual(['http', 'bus', 'database']);
    expect(() => shutdown.add('late', () => undefined)).toThrow(/already started/);
  });

  it('bounds each step by the timeout and carries on with the rest', async () => {
    const { shutdown, log } = setup(20);
    const order: string[] = [];
    shutdown.add('database', () => {
      order.push('database');
    });
    shutdown.add('stuck', () => new Promise<void>(() => undefined));
    shutdown.add('failing', () => {
      throw new Error('boom');
    });
    const result = await shutdown.run('test');
    expect(result).toEqual({ ok: false, failed: ['failing', 'stuck'] });
    expect(order).toEqual(['database']);
    const errors = log.records().filter((r) => r['level'] === 50);
    expect(errors.map((r) => r['step'])).toEqual(['failing', 'stuck']);
    expect(JSON.stringify(errors[1])).toContain('did not finish within 20ms');
  });

  it('exits 0 after a signal once every step is done', async () => {
    const { shutdown, signals, exits } = setup();
    const closed: string[] = [];
    shutdown.add('http', () => {
      closed.push('http');
    });
    const stop = shutdown.listen();
    signals.emit('SIGTERM');
    await until(() => exits.length > 0);
    expect(closed).toEqual(['http']);
    expect(exits).toEqual([0]);
    stop();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('exits 1 when a step failed', async () => {
    const { shutdown, signals, exits } = setup();
    shutdown.add('bad', () => Promise.reject(new Error('nope')));
    shutdown.listen(['SIGINT']);
    signals.emit('SIGINT');
    await until(() => exits.length > 0);
    expect(exits).toEqual([1]);
  });

  it('a second signal forces exit while steps are still running', async () => {
    const { shutdown, signals, exits, clock } = setup(60_000);
    let release: (() => void) | undefined;
    shutdown.add('slow', () => new Promise<void>((resolve) => (release = resolve)));
    shutdown.listen();
    signals.emit('SIGTERM');
    expect(exits).toEqual([]);
    clock.t += 1_000;
    signals.emit('SIGINT');
    expect(exits).toEqual([1]);
    await until(() => release !== undefined);
    release?.();
    await until(() => exits.length > 1);
    expect(exits).toEqual([1, 0]);
  });

  it('ignores the same Ctrl-C delivered again (process group plus a relaying parent) and finishes the shutdown', async () => {
    const { shutdown, signals, exits, log, clock } = setup(60_000);
    let release: (() => void) | undefined;
    shutdown.add('slow', () => new Promise<void>((resolve) => (release = resolve)));
    shutdown.listen();
    signals.emit('SIGINT');
    clock.t += 30;
    signals.emit('SIGINT');
    clock.t += 969;
    signals.emit('SIGINT');
    expect(exits).toEqual([]);
    await until(() => release !== undefined);
    release?.();
    await until(() => exits.length > 0);
    expect(exits).toEqual([0]);
    const messages = log.records().map((r) => r['msg']);
    expect(messages).toContain('shutdown complete');
    expect(messages).not.toContain('second signal: exiting without waiting');
  });
});
