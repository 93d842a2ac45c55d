import { SerialQueue, invokeHandler, repeatUntilStopped, type Schedule } from './serial-queue';

describe('SerialQueue', () => {
  it('runs synchronous steps inline, in order', () => {
    const seen: number[] = [];
    const queue = new SerialQueue<number>((n) => void seen.push(n));
    queue.push(1);
    queue.push(2);
    expect(seen).toEqual([1, 2]);
    expect(queue.size).toBe(0);
  });

  it('runs async steps one at a time and reports idle once drained', async () => {
    const seen: string[] = [];
    const releases: Array<() => void> = [];
    const queue = new SerialQueue<number>(
      (n) =>
        new Promise<void>((resolve) => {
          seen.push(`start ${n}`);
          releases.push(() => {
            seen.push(`end ${n}`);
            resolve();
          });
        }),
    );
    queue.push(1);
    queue.push(2);
    expect(seen).toEqual(['start 1']);
    const idle = queue.idle();
    releases.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['start 1', 'end 1', 'start 2']);
    releases.shift()?.();
    await idle;
    expect(seen).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('queues items pushed from inside a step behind the current one', () => {
    const seen: number[] = [];
    const queue: SerialQueue<number> = new SerialQueue<number>((n) => {
      seen.push(n);
      if (n === 1) queue.push(3);
    });
    queue.push(1);
    queue.push(2);
    expect(seen).toEqual([1, 3, 2]);
  });
});

describe('invokeHandler', () => {
  it('reports throws and rejections, and calls onSuccess otherwise', async () => {
    const failures: unknown[] = [];
    let ok = 0;
    expect(
      invokeHandler(
        () => undefined,
        1,
        (e) => failures.push(e),
        () => (ok += 1),
      ),
    ).toBeUndefined();
    invokeHandler(
      () => {
        throw new Error('sync');
      },
      1,
      (e) => failures.push(e),
    );
    await invokeHandler(
      () => Promise.reject(new Error('async')),
      1,
      (e) => failures.push(e),
    );
    await invokeHandler(
      async () => undefined,
      1,
      (e) => failures.push(e),
      () => (ok += 1),
    );
    expect(failures.map((e) => (e as Error).message)).toEqual(['sync', 'async']);
    expect(ok).toBe(2);
  });
});

describe('repeatUntilStopped', () => {
  function manualSchedule() {
    const due: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
    const schedule: Schedule = (fn, ms) => {
      const entry = { fn, ms, cancelled: false };
      due.push(entry);
      return () => {
        entry.cancelled = true;
      };
    };
    /** Fires the one timer that is armed and not cancelled. */
    const fire = (): void => {
      const live = due.filter((d) => !d.cancelled);
      expect(live).toHaveLength(1);
      due.splice(0);
      live[0]?.fn();
    };
    return { schedule, due, fire };
  }

  it('ticks every interval until stopped, then never again', () => {
    const clock = manualSchedule();
    let ticks = 0;
    const stop = repeatUntilStopped(() => (ticks += 1), 10_000, clock.schedule);
    expect(ticks).toBe(0);
    expect(clock.due.map((d) => d.ms)).toEqual([10_000]);
    clock.fire();
    clock.fire();
    expect(ticks).toBe(2);
    stop();
    expect(clock.due.every((d) => d.cancelled)).toBe(true);
    // A timer that fires after stop() (already queued when cancelled) does nothing.
    clock.due[0]?.fn();
    expect(ticks).toBe(2);
  });
});
