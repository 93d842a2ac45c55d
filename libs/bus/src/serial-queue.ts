// Runs one item at a time, in arrival order. A synchronous step continues inline without a
// microtask hop, which keeps the hot path of sync handlers cheap; an async step is awaited.
export class SerialQueue<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly step: (item: T) => void | Promise<void>) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.running) {
      this.items.push(item);
      return;
    }
    // Idle queue: run the step right here; only an async step (or a backlog) needs the loop.
    this.running = true;
    let pending: void | Promise<void>;
    try {
      pending = this.step(item);
    } catch (err) {
      this.running = false;
      throw err;
    }
    if (pending === undefined && this.size === 0) {
      this.finish();
      return;
    }
    void this.drain(pending);
  }

  /** Resolves once the queue is empty and nothing is running. */
  idle(): Promise<void> {
    if (!this.running && this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(first: void | Promise<void>): Promise<void> {
    try {
      if (first !== undefined) await first;
      while (this.head < this.items.length) {
        const item = this.items[this.head] as T;
        this.items[this.head] = undefined;
        this.head += 1;
        if (this.head >= 1024 && this.head * 2 >= this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        // step() reports its own failures; a throw here would be a bug in the bus, not a handler.
        const pending = this.step(item);
        if (pending !== undefined) await pending;
      }
    } finally {
      this.finish();
    }
  }

  private finish(): void {
    if (this.items.length > 0) this.items = [];
    this.head = 0;
    this.running = false;
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Calls a handler and reports a throw or rejection; returns a promise only for async handlers. */
export function invokeHandler<A>(
  handler: (arg: A) => unknown,
  arg: A,
  onFailure: (err: unknown) => void,
  onSuccess?: () => void,
): void | Promise<void> {
  let result: unknown;
  try {
    result = handler(arg);
  } catch (err) {
    onFailure(err);
    return;
  }
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(result).then(
      () => onSuccess?.(),
      (err: unknown) => onFailure(err),
    );
  }
  onSuccess?.();
}

/** Runs `fn` after `ms`; returns a function that cancels it. Injectable so tests control time. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export const timerSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** Calls `tick` every `everyMs` until the returned function is called. */
export function repeatUntilStopped(tick: () => void, everyMs: number, schedule: Schedule = timerSchedule): () => void {
  let stopped = false;
  let cancel: () => void = () => undefined;
  const arm = (): void => {
    cancel = schedule(() => {
      if (stopped) return;
      tick();
      arm();
    }, everyMs);
  };
  arm();
  return () => {
    stopped = true;
    cancel();
  };
}
