import { randomUUID } from 'node:crypto';
import type { Bus } from '@barfinex/bus';
import type { ReplayStart, ReplayStatus } from '@barfinex/contracts';
import { ENVELOPE_VERSION } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { conflict } from '@barfinex/service-kit';
import type { EventSinkRepository } from '../eventsink/eventsink.repository';

/** What a replay re-publishes: the market data a detector consumes, never orders or fills. */
export const REPLAY_EVENT_TYPES: readonly EventName[] = [
  'PROVIDER_MARKETDATA_TRADE',
  'PROVIDER_MARKETDATA_ORDERBOOK',
  'PROVIDER_MARKETDATA_CANDLE',
  'PROVIDER_SYMBOL_PRICES',
];

type StoredEvent = Awaited<ReturnType<EventSinkRepository['after']>>[number];

export interface ReplayServiceDeps {
  repo: Pick<EventSinkRepository, 'after' | 'count'>;
  bus: Bus;
  now?: () => number;
  /** Waits for playback pacing; resolves early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  pageSize?: number;
  progressEveryMs?: number;
  onError?: (err: unknown) => void;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The live envelope again, marked as replay; the new id points back to the stored one. */
export function replayEnvelope(row: StoredEvent): EventEnvelope {
  const env: Record<string, unknown> = {
    eventId: randomUUID(),
    type: row.type,
    source: row.source,
    timestamp: row.timestamp,
    version: ENVELOPE_VERSION,
    causationId: row.eventId,
    replay: true,
    payload: row.payload,
  };
  if (row.correlationId !== undefined) env['correlationId'] = row.correlationId;
  if (row.symbol !== undefined) env['symbol'] = row.symbol;
  if (row.connectorType !== undefined) env['connectorType'] = row.connectorType as ConnectorType;
  if (row.marketType !== undefined) env['marketType'] = row.marketType as MarketType;
  return env as unknown as EventEnvelope;
}

/** One replay at a time over stored market data, through the same bus subjects as live. */
export function createReplayService(deps: ReplayServiceDeps) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const pageSize = deps.pageSize ?? 2_000;
  const progressEveryMs = deps.progressEveryMs ?? 250;
  let status: ReplayStatus = { running: false, state: 'idle', total: 0, eventsSent: 0, progress: 0, rate: 0 };
  let abort: AbortController | undefined;
  let run: Promise<void> | undefined;

  function snapshot(): ReplayStatus {
    if (!status.running || status.startedAt === undefined) return { ...status };
    const seconds = Math.max(0.001, (now() - status.startedAt) / 1000);
    return { ...status, rate: Math.round(status.eventsSent / seconds) };
  }

  function publishProgress(): void {
    const s = snapshot();
    const state = s.state === 'idle' ? 'running' : s.state;
    deps.bus
      .publish('PROVIDER_REPLAY_PROGRESS', {
        replayId: s.replayId ?? 'none',
        state,
        from: s.from ?? 0,
        to: s.to ?? 0,
        cursor: s.cursor ?? s.from ?? 0,
        speed: s.speed ?? 'max',
        emitted: s.eventsSent,
        total: s.total,
        symbols: s.symbols ?? [],
        ...(s.error !== undefined ? { error: s.error } : {}),
      })
      .catch((err: unknown) => deps.onError?.(err));
  }

  async function play(req: ReplayStart, signal: AbortSignal): Promise<void> {
    const filter = {
      from: req.from,
      to: req.to,
      types: REPLAY_EVENT_TYPES,
      ...(req.symbols?.length ? { symbols: req.symbols } : {}),
    };
    let cursor = { timestamp: -1, id: 0 };
    let next = deps.repo.after(filter, cursor, pageSize);
    let lastProgress = now();
    // Real-time pacing: event i is due at start + (ts_i - ts_0) / speed on the wall clock.
    let anchor: { wall: number; market: number } | undefined;
    while (!signal.aborted) {
      const page = await next;
      if (page.length === 0) break;
      const last = page[page.length - 1] as StoredEvent;
      cursor = { timestamp: last.timestamp, id: last.id };
      next = deps.repo.after(filter, cursor, pageSize);
      const pending: Array<Promise<void>> = [];
      for (const row of page) {
        if (signal.aborted) break;
        if (req.speed !== 'max') {
          anchor ??= { wall: now(), market: row.timestamp };
          const wait = anchor.wall + (row.timestamp - anchor.market) / req.speed - now();
          if (wait >= 1) {
            await Promise.all(pending.splice(0));
            await sleep(wait, signal);
            if (signal.aborted) break;
          }
        }
        pending.push(deps.bus.publishEnvelope(replayEnvelope(row)));
        status.eventsSent += 1;
        status.cursor = row.timestamp;
        if (now() - lastProgress >= progressEveryMs) {
          lastProgress = now();
          status.progress = status.total ? Math.min(1, status.eventsSent / status.total) : 1;
          publishProgress();
        }
      }
      await Promise.all(pending);
      // A page at max speed can be all synchronous work; let HTTP (status, stop) get a turn.
      await yieldToLoop();
    }
    await next.catch(() => undefined);
  }

  return {
    async start(req: ReplayStart): Promise<ReplayStatus> {
      if (status.running)
        throw conflict('a replay is already running; stop it first (POST /api/replay/stop)', {
          replayId: status.replayId,
        });
      const symbols = req.symbols ?? [];
      status = {
        replayId: randomUUID(),
        running: true,
        state: 'running',
        from: req.from,
        to: req.to,
        speed: req.speed,
        symbols,
        total: 0,
        eventsSent: 0,
        progress: 0,
        rate: 0,
        startedAt: now(),
      };
      const controller = new AbortController();
      abort = controller;
      run = (async () => {
        try {
          const total = await deps.repo.count({
            from: req.from,
            to: req.to,
            types: REPLAY_EVENT_TYPES,
            ...(symbols.length ? { symbols } : {}),
          });
          status.total = total;
          publishProgress();
          await play(req, controller.signal);
          status.state = controller.signal.aborted ? 'stopped' : 'finished';
        } catch (err) {
          status.state = 'failed';
          status.error = err instanceof Error ? err.message : String(err);
          deps.onError?.(err);
        }
        status.progress =
          status.state === 'finished' ? 1 : status.total ? Math.min(1, status.eventsSent / status.total) : 0;
        const final = snapshot();
        status = { ...final, running: false, finishedAt: now() };
        publishProgress();
      })();
      return snapshot();
    },
    async stop(): Promise<ReplayStatus> {
      abort?.abort();
      await run;
      return snapshot();
    },
    status: snapshot,
    /** Resolves when the current replay (if any) has ended. */
    idle: async () => {
      await run;
    },
  };
}

export type ReplayService = ReturnType<typeof createReplayService>;
