import { providerRoutes as r } from '@barfinex/contracts';
import { badRequest } from '@barfinex/service-kit';
import type { TypedRouter } from '../http/typed-router';
import { SimRejectError } from './sim';
import type { SimConnector } from './sim-connector';
import { createSimStepRunner } from './sim-step';

export interface SimRoutesDeps {
  sim: SimConnector;
  /** Backpressure between the slices of a long step (the event publisher's `settled`). */
  drain?: () => Promise<void>;
}

/** Scripting the simulated market: set a price, queue a path, pause, resume, step the clock. */
export function registerSimRoutes(t: TypedRouter, deps: SimRoutesDeps): void {
  const ex = deps.sim.exchange;
  const stepper = createSimStepRunner({ exchange: ex, ...(deps.drain ? { drain: deps.drain } : {}) });
  const status = () => {
    const prices: Record<string, Record<string, string>> = {};
    for (const market of deps.sim.markets) {
      prices[market] = Object.fromEntries(
        deps.sim.instruments(market).map((i) => [i.symbol, deps.sim.lastPrice(market, i.symbol) ?? '0']),
      );
    }
    return { paused: ex.isPaused(), time: ex.now(), prices };
  };
  const guarded = async (fn: () => void | Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (err instanceof SimRejectError) throw badRequest(err.message, { reason: err.code, ...err.details });
      throw err;
    }
    await deps.sim.persist();
    return status();
  };
  t.add(r.simStatus, () => status());
  t.add(r.simPrice, ({ body }) => guarded(() => ex.setPrice(body.symbol, body.price)));
  t.add(r.simPath, ({ body }) =>
    guarded(() => ex.pushPricePath(body.symbol, body.prices, { intervalMs: body.intervalMs })),
  );
  t.add(r.simPause, () => guarded(() => ex.pause()));
  t.add(r.simResume, () => guarded(() => ex.resume()));
  t.add(r.simStep, ({ body }) => guarded(() => stepper.step(body.ms)));
}
