import { randomUUID } from 'node:crypto';
import type { Bus } from '@barfinex/bus';
import type { BackfillStatus, Candle } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import { badRequest, conflict } from '@barfinex/service-kit';
import type { CandleRow, CandlesRepository } from '../candles/candles.repository';
import type { ConnectorRegistry } from '../../connectors/connector-registry';

export interface BackfillSeries {
  connectorType: ConnectorType;
  marketType: MarketType;
  symbol: string;
  interval: TimeFrame;
}

export interface BackfillServiceDeps {
  connectors: Pick<ConnectorRegistry, 'require'>;
  candles: Pick<CandlesRepository, 'upsert'>;
  bus: Bus;
  now?: () => number;
  /** Bars asked of the connector per call (venues page at 1,000 or so). */
  pageBars?: number;
  maxBars?: number;
  progressEveryMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const keyOf = (s: BackfillSeries) => `${s.connectorType}:${s.marketType}:${s.symbol}:${s.interval}`;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function toRow(c: Candle, s: BackfillSeries, intervalMs: number): CandleRow {
  return {
    ...s,
    openTime: c.time,
    closeTime: c.closeTime ?? c.time + intervalMs - 1,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    trades: c.trades ?? 0,
    closed: c.closed ?? true,
  };
}

/**
 * Candle history from a connector into the store, one job per series at a time (a second start
 * is a 409). Pages are upserted as they arrive, so a failed job keeps what it fetched and a rerun
 * over the same range only rewrites bars; progress goes on the bus (and so to WebSocket clients)
 * and into the log.
 */
export function createBackfillService(deps: BackfillServiceDeps) {
  const now = deps.now ?? Date.now;
  const pageBars = deps.pageBars ?? 1_000;
  const maxBars = deps.maxBars ?? 5_000_000;
  const progressEveryMs = deps.progressEveryMs ?? 250;
  const jobs = new Map<string, BackfillStatus>();
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  function publish(status: BackfillStatus): void {
    const { connectorType, marketType, symbol, interval, fetched, error } = status;
    const state = status.state === 'idle' ? 'running' : status.state;
    void deps.bus
      .publish(
        'PROVIDER_BACKFILL_PROGRESS',
        {
          connectorType,
          marketType,
          symbol,
          interval,
          state,
          from: status.from ?? 0,
          to: status.to ?? 0,
          ...(status.cursor !== undefined ? { cursor: status.cursor } : {}),
          fetched,
          ...(error !== undefined ? { error } : {}),
        },
        { connectorType, marketType },
      )
      .catch((err: unknown) => deps.log?.warn({ err }, 'backfill progress not published'));
  }

  async function run(
    status: BackfillStatus,
    fetch: (from: number, to: number) => Promise<Candle[]>,
    series: BackfillSeries,
  ): Promise<void> {
    const from = status.from as number;
    const to = status.to as number;
    const intervalMs = timeFrameMs(series.interval) ?? to - from + 1;
    const pageMs = intervalMs * pageBars;
    let lastProgress = 0;
    let lastLog = now();
    for (let cursor = from; cursor <= to && !stopping; cursor += pageMs) {
      const pageEnd = Math.min(to, cursor + pageMs - 1);
      const page = await fetch(cursor, pageEnd);
      const rows = page
        .filter((c) => c.time >= cursor && c.time <= pageEnd && c.closed !== false)
        .map((c) => toRow(c, series, intervalMs));
      await deps.candles.upsert(rows);
      status.fetched += page.length;
      status.upserted += rows.length;
      status.pages += 1;
      status.cursor = pageEnd;
      status.progress = Math.min(1, (pageEnd - from + 1) / (to - from + 1));
      if (now() - lastProgress >= progressEveryMs) {
        lastProgress = now();
        publish(status);
      }
      if (now() - lastLog >= 1_000) {
        lastLog = now();
        deps.log?.info(
          { series: keyOf(series), progress: Number(status.progress.toFixed(3)), upserted: status.upserted },
          'backfill progress',
        );
      }
      await yieldToLoop();
    }
    if (stopping && (status.cursor ?? from) < to) throw new Error('stopped by a provider shutdown');
  }

  return {
    async start(series: BackfillSeries, range: { from: number; to: number }): Promise<BackfillStatus> {
      const connector = deps.connectors.require(series.connectorType, series.marketType);
      const history = connector.candles?.bind(connector);
      if (!history) throw badRequest(`connector ${series.connectorType} serves no candle history`);
      const intervalMs = timeFrameMs(series.interval);
      if (intervalMs !== undefined && Math.floor((range.to - range.from) / intervalMs) + 1 > maxBars) {
        throw badRequest(`range too long: more than ${maxBars} ${series.interval} bars`, { maxBars });
      }
      const key = keyOf(series);
      if (running.has(key)) throw conflict(`a backfill of ${key} is already running`, { status: jobs.get(key) });
      const status: BackfillStatus = {
        jobId: randomUUID(),
        ...series,
        state: 'running',
        from: range.from,
        to: range.to,
        fetched: 0,
        upserted: 0,
        pages: 0,
        progress: 0,
        startedAt: now(),
      };
      jobs.set(key, status);
      deps.log?.info({ series: key, from: range.from, to: range.to, jobId: status.jobId }, 'backfill started');
      publish(status);
      const job = run(
        status,
        (from, to) => history(series.marketType, series.symbol, series.interval, from, to),
        series,
      )
        .then(() => {
          status.state = 'finished';
          status.progress = 1;
        })
        .catch((err: unknown) => {
          status.state = 'failed';
          status.error = err instanceof Error ? err.message : String(err);
          deps.log?.warn({ err, series: key }, 'backfill failed');
        })
        .finally(() => {
          status.finishedAt = now();
          running.delete(key);
          publish(status);
          deps.log?.info(
            {
              series: key,
              state: status.state,
              upserted: status.upserted,
              pages: status.pages,
              ms: status.finishedAt - (status.startedAt ?? status.finishedAt),
            },
            'backfill ended',
          );
        });
      running.set(key, job);
      return { ...status };
    },

    status(series: BackfillSeries): BackfillStatus {
      const status = jobs.get(keyOf(series));
      return status ? { ...status } : { ...series, state: 'idle', fetched: 0, upserted: 0, pages: 0, progress: 0 };
    },

    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(running.values());
    },

    idle: async () => {
      await Promise.all(running.values());
    },
  };
}

export type BackfillService = ReturnType<typeof createBackfillService>;
