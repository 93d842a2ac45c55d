import type { Bus, Subscription } from '@barfinex/bus';
import type { DetectorEmission, DetectorEventName } from '@barfinex/detector-kit';
import type { EventMeta, EventPayloadInput } from '@barfinex/events';
import type { Logger } from 'pino';
import type { DetectorHost } from './detectors/host';

/** One emission onto the bus: generic over its event, so the name and its payload stay paired for the compiler. */
function publishEmission<N extends DetectorEventName>(
  bus: Bus,
  emission: { name: N; payload: EventPayloadInput<N>; meta: EventMeta },
  key: string,
) {
  return bus.publish(emission.name, emission.payload, { ...emission.meta, key });
}

/**
 * Publishes emissions one after another, in the order the runners produced them; the candle
 * handler awaits `idle()` so a slow bus slows intake instead of growing an unbounded queue.
 */
export function createPublisher(deps: {
  bus: Bus;
  appKey: string;
  logger: Logger;
  positionRequests?: boolean;
  onPublished?: (name: string) => void;
}) {
  let tail: Promise<void> = Promise.resolve();
  let failures = 0;
  let inFlight = 0;
  const settled = (): void => void (inFlight -= 1);
  return {
    publish(emission: DetectorEmission): void {
      if (!deps.positionRequests && emission.name.startsWith('DETECTOR_POSITION_')) return;
      inFlight += 1;
      tail = tail
        .then(() =>
          publishEmission(deps.bus, emission, deps.appKey).then(
            () => deps.onPublished?.(emission.name),
            (err: unknown) => {
              failures += 1;
              deps.logger.error(
                { err, event: emission.name, correlationId: emission.meta.correlationId },
                'publishing a detector event failed',
              );
            },
          ),
        )
        .finally(settled);
    },
    idle: (): Promise<void> => tail,
    /** True while an emission is still being published (idle() would then wait). */
    busy: (): boolean => inFlight > 0,
    failures: () => failures,
  };
}

export type Publisher = ReturnType<typeof createPublisher>;

const STOPPING_ACTIONS = new Set(['BLOCK', 'STAND_DOWN', 'CLOSE_ALL']);

/**
 * Live candles (this instance's partition of the symbols) and the risk events that can stop it.
 * Risk events are durable, read through a named consumer, so a kill switch sent while the app was
 * down still reaches it.
 */
export async function subscribeDetectorBus(deps: {
  bus: Bus;
  host: DetectorHost;
  publisher: Publisher;
  appKey: string;
  partition: { index: number; count: number };
  logger: Logger;
}): Promise<Subscription[]> {
  const { bus, host, logger } = deps;
  const candles = await bus.subscribe(
    'PROVIDER_MARKETDATA_CANDLE',
    (env) => {
      const c = env.payload;
      // The envelope is this subscriber's own copy: the candle is used as is when it names its venue.
      const candle =
        c.connectorType !== undefined && c.marketType !== undefined
          ? c
          : { ...c, connectorType: c.connectorType ?? env.connectorType, marketType: c.marketType ?? env.marketType };
      host.onCandle(candle, env.eventId);
      // Most candles emit nothing: then the handler returns synchronously and costs no promise.
      return deps.publisher.busy() ? deps.publisher.idle() : undefined;
    },
    deps.partition.count > 1 ? { partition: deps.partition } : {},
  );
  const kill = await bus.subscribe(
    'INSPECTOR_RISK_KILL_SWITCH',
    (env) => {
      const p = env.payload;
      const hit = host.applyRisk(p.detectorKey, p.active ? p.reason : undefined);
      if (hit.length > 0)
        logger.warn(
          { active: p.active, reason: p.reason, detectors: hit, correlationId: env.correlationId },
          'kill switch',
        );
    },
    { durable: `${deps.appKey.replace(/[^A-Za-z0-9_-]/g, '_')}-kill` },
  );
  const breach = await bus.subscribe(
    'INSPECTOR_RISK_LIMIT_BREACH',
    (env) => {
      const p = env.payload;
      // Only breaches aimed at a detector stop it; account-wide breaches are the inspector's to enforce.
      if (p.detectorKey === undefined || !STOPPING_ACTIONS.has(p.action ?? '')) return;
      const hit = host.applyRisk(p.detectorKey, `${p.policy}: ${p.reason}`);
      if (hit.length > 0)
        logger.warn(
          { policy: p.policy, reason: p.reason, detectors: hit, correlationId: env.correlationId },
          'risk limit breach: blocked',
        );
    },
    { durable: `${deps.appKey.replace(/[^A-Za-z0-9_-]/g, '_')}-breach` },
  );
  return [candles, kill, breach];
}
