import { EVENT_NAMES, getEventDefinition } from '@barfinex/events';
import type { EventSinkRepository } from './eventsink.repository';

/**
 * How long the event sink keeps what it stored. Without a limit `sink_events` grows with every
 * event for as long as the provider runs, market data above all: with the default sim symbols the
 * sink stores about 75 market-data events a second (candle updates, trades, order books, prices),
 * some 6.5 million rows and 4 GB a day on PostgreSQL, and the embedded PGlite database grows alike
 * until its disk is full.
 *
 * Two horizons, because the two kinds of events age differently:
 * - market data (`marketdata` and `symbols` events) serves replays and the signals context's recent
 *   trades; the candles themselves are kept in their own table. Default: a day.
 * - everything else (orders, fills, account, signals, decisions, risk, access...) is the platform's
 *   history, a few events per order. Default: 90 days. Orders and fills stay in their own tables.
 *
 * A round deletes, per kind, the events older than its horizon in batches of `batch` rows, at most
 * `maxPerRound` rows, and yields between batches, so a backlog (the first start after an upgrade)
 * is worked off a bounded step at a time: the next round then follows after `busyMs` instead of
 * `everyMs`. The space is reused once VACUUM has seen the deleted rows: the database's autovacuum,
 * or the provider's table care where autovacuum does not run (see libs/db table-care.ts).
 *
 * A client resuming from an event older than the horizon is told its event is unknown
 * (`UNKNOWN_EVENT`, see ws/resume.ts) and reloads what it shows.
 */
export const MARKET_DATA_CATEGORIES: readonly string[] = ['marketdata', 'symbols'];

/**
 * Every other category of the event catalog (the sink files each event under its catalog
 * category). Named rather than "all but market data", so each batch is found through the
 * (category, timestamp) index even where market data is kept for ever and old market rows would
 * otherwise be walked past on every round.
 */
export const OTHER_CATEGORIES: readonly string[] = [
  ...new Set(EVENT_NAMES.map((name) => getEventDefinition(name).category)),
].filter((category) => !MARKET_DATA_CATEGORIES.includes(category));

export interface SinkRetentionOptions {
  repo: Pick<EventSinkRepository, 'prune'>;
  now: () => number;
  /** How long market data is kept (ms); 0 = for ever. */
  marketKeepMs: number;
  /** How long every other event is kept (ms); 0 = for ever. */
  keepMs: number;
  /** Between rounds (default 60 s). */
  everyMs?: number;
  /** Between rounds while a backlog is worked off (default 5 s). */
  busyMs?: number;
  /** Rows per DELETE (default 5,000). */
  batch?: number;
  /** Rows a round deletes at most, per kind (default 50,000). */
  maxPerRound?: number;
  /** A round that deleted something: how many rows of each kind. */
  onPruned?: (deleted: PruneCounts) => void;
  /** A round that failed; the next one tries again. */
  onError?: (err: unknown) => void;
}

export interface PruneCounts {
  marketdata: number;
  other: number;
}

export interface SinkRetention {
  /** Starts the rounds: the first one at once, in the background. */
  start(): void;
  /** Stops the timer and waits for a running round, which ends after its current batch. */
  stop(): Promise<void>;
  /** One round now; `more` when a kind hit the round's cap (a backlog is left). */
  runOnce(): Promise<PruneCounts & { more: boolean }>;
}

export function createSinkRetention(options: SinkRetentionOptions): SinkRetention {
  const everyMs = options.everyMs ?? 60_000;
  const busyMs = options.busyMs ?? 5_000;
  const batch = options.batch ?? 5_000;
  const maxPerRound = options.maxPerRound ?? 50_000;
  const kinds = [
    { name: 'marketdata' as const, keepMs: options.marketKeepMs, categories: MARKET_DATA_CATEGORIES },
    { name: 'other' as const, keepMs: options.keepMs, categories: OTHER_CATEGORIES },
  ].filter((k) => k.keepMs > 0);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  /** Set by `stop`: a running round ends after its current batch. */
  let halting = false;

  async function runOnce(): Promise<PruneCounts & { more: boolean }> {
    const counts: PruneCounts = { marketdata: 0, other: 0 };
    let more = false;
    for (const kind of kinds) {
      if (halting) break;
      const before = options.now() - kind.keepMs;
      for (;;) {
        const limit = Math.min(batch, maxPerRound - counts[kind.name]);
        const deleted = await options.repo.prune(before, kind.categories, limit);
        counts[kind.name] += deleted;
        if (deleted < limit) break;
        if (counts[kind.name] >= maxPerRound) {
          more = true;
          break;
        }
        // Requests and the order path go first between two batches; a shutdown ends the round here.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (halting) break;
      }
    }
    if (counts.marketdata + counts.other > 0) options.onPruned?.(counts);
    return { ...counts, more };
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = runOnce()
        .then(
          ({ more }) => schedule(more ? busyMs : everyMs),
          (err: unknown) => {
            options.onError?.(err);
            schedule(everyMs);
          },
        )
        .finally(() => {
          running = undefined;
        });
    }, ms);
    timer.unref();
  }

  return {
    start() {
      if (kinds.length === 0 || !stopped) return;
      stopped = false;
      halting = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      halting = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runOnce,
  };
}
