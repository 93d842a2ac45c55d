import type { SimExchange } from './sim';

export interface SimStepRunnerDeps {
  exchange: Pick<SimExchange, 'now' | 'stepSlice'>;
  /**
   * Resolves once what the last slice emitted has been handed on (the event publisher's
   * `settled`). Waiting for it is the backpressure: a step can never get further ahead of the
   * bus than one slice.
   */
  drain?: () => Promise<void>;
  /** Market events per slice (default 32: about a hundred trades, a few tens of ms of work). */
  sliceEvents?: number;
  /** Lets queued I/O run between slices (default: setImmediate); tests inject one to observe it. */
  yieldToLoop?: () => Promise<void>;
}

const DEFAULT_SLICE_EVENTS = 32;

const setImmediateYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `POST /connectors/sim/step` in slices. A step replays every tick on the way (a day is
 * 86,400 ticks per symbol at the default 1 s tick) and each tick prints trades that become bus
 * events, WebSocket frames and candles; played in one synchronous call, nothing of that could be
 * delivered until the end, so a long step held every event of the whole span in memory and
 * answered no other request meanwhile. In slices, with the event loop and the publisher drained
 * between them, memory stays at one slice's events and `/health` keeps answering. Steps run one
 * after another: each advances by its `ms` from where the previous one ended.
 */
export function createSimStepRunner(deps: SimStepRunnerDeps) {
  const sliceEvents = deps.sliceEvents ?? DEFAULT_SLICE_EVENTS;
  const yieldToLoop = deps.yieldToLoop ?? setImmediateYield;
  let queue: Promise<unknown> = Promise.resolve();

  async function run(ms: number): Promise<void> {
    const target = deps.exchange.now() + ms;
    for (;;) {
      const done = deps.exchange.stepSlice(target, sliceEvents);
      await deps.drain?.();
      await yieldToLoop();
      if (done) return;
    }
  }

  return {
    step(ms: number): Promise<void> {
      const next = queue.then(() => run(ms));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

export type SimStepRunner = ReturnType<typeof createSimStepRunner>;
