import { backtestRoutes, platformRoutes } from '@barfinex/contracts';
import type { Candle } from '@barfinex/contracts';
import { nextTimeFrameStart } from '@barfinex/enums';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import type { ProviderClient } from '@barfinex/sdk';
import { isAppError } from '@barfinex/service-kit';

/** The bars one stream lacks: after its last bar, before the live bar that showed the hole (or up to the newest stored bar). */
export interface GapRequest {
  symbol: string;
  timeframe: TimeFrame;
  /** Open time of the stream's last bar; only later bars are wanted. */
  after: number;
  /** Open time of the live bar that arrived after the hole; absent after a bus reconnect. */
  before?: number;
}

export interface GapFillResult {
  bars: Candle[];
  /** Bars known to be missing (between `after` and `before`, or inside what the store returned). */
  missing: number;
  /** Still missing after the provider tried to repair them: the stream bridges these. */
  unfilled: number;
  /** What was asked of the provider beyond reading: `repair` (from stored trades/minute bars), `backfill` (from the venue). */
  asked: ('repair' | 'backfill')[];
}

export interface GapFillDeps {
  provider: Pick<ProviderClient, 'candles' | 'request'>;
  venue: { connectorType: ConnectorType; marketType: MarketType };
  /** Waits between polls of a venue backfill (injected so tests decide when time passes). */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  maxPolls?: number;
}

/** More bars than any warm-up uses: counting stops here (calendar frames are counted one by one). */
const COUNT_LIMIT = 200_000;

function openTimes(timeframe: TimeFrame, after: number, before: number): number[] {
  const times: number[] = [];
  for (
    let t = nextTimeFrameStart(timeframe, after);
    t < before && times.length < COUNT_LIMIT;
    t = nextTimeFrameStart(timeframe, t)
  )
    times.push(t);
  return times;
}

/**
 * Gets the bars a stream missed from the provider's store, asking the provider to repair the
 * store first where bars are missing there too: rebuilt from stored trades and finer candles,
 * then paged from the venue (a backfill job, polled until it ends). A provider that cannot do
 * either (no such route, a venue without history) leaves the hole, and the stream bridges it.
 * Detectors sharing a stream share one fetch.
 */
export function createGapFill(deps: GapFillDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = deps.pollMs ?? 250;
  const maxPolls = deps.maxPolls ?? 40;
  const inflight = new Map<string, Promise<GapFillResult>>();

  // Without a live bar there is no end but the newest stored bar: market time need not be the wall clock's (a stepped simulator).
  const read = async (req: GapRequest): Promise<Candle[]> => {
    const to = req.before === undefined ? undefined : req.before - 1;
    try {
      const rows = await deps.provider.candles.list({
        ...deps.venue,
        symbol: req.symbol,
        interval: req.timeframe,
        from: req.after + 1,
        ...(to === undefined ? {} : { to }),
      });
      return rows
        .filter((c) => c.closed !== false && c.time > req.after && (to === undefined || c.time <= to))
        .sort((a, b) => a.time - b.time);
    } catch (err) {
      if (isAppError(err) && err.code === 'NOT_FOUND') return [];
      throw err;
    }
  };

  const holes = (req: GapRequest, bars: readonly Candle[], end: number): number[] => {
    const have = new Set(bars.map((b) => b.time));
    return openTimes(req.timeframe, req.after, end).filter((t) => !have.has(t));
  };

  async function backfill(req: GapRequest, from: number, to: number): Promise<void> {
    const params = { ...deps.venue, symbol: req.symbol, interval: req.timeframe };
    try {
      await deps.provider.request(backtestRoutes.candleBackfill, { params, body: { from, to } });
    } catch (err) {
      // 409: a backfill of the series is already running; waiting for it serves as well.
      if (!(isAppError(err) && err.code === 'CONFLICT')) throw err;
    }
    for (let poll = 0; poll < maxPolls; poll += 1) {
      const status = await deps.provider.request(backtestRoutes.candleBackfillStatus, { params });
      if (status.state !== 'running') return;
      await sleep(pollMs);
    }
  }

  async function fill(req: GapRequest): Promise<GapFillResult> {
    let bars = await read(req);
    // Without a live bar the hole ends at the newest stored bar: what the store does not know yet is not missing.
    const end = req.before ?? (bars.length > 0 ? (bars[bars.length - 1] as Candle).time : req.after);
    let missing = holes(req, bars, end);
    const result: GapFillResult = { bars, missing: missing.length, unfilled: missing.length, asked: [] };
    if (missing.length === 0) return result;
    const from = missing[0] as number;
    const last = nextTimeFrameStart(req.timeframe, missing[missing.length - 1] as number) - 1;
    const params = { ...deps.venue, symbol: req.symbol, interval: req.timeframe };
    const steps: [GapFillResult['asked'][number], () => Promise<unknown>][] = [
      [
        'repair',
        () => deps.provider.request(platformRoutes.candleRepair, { params, body: { mode: 'apply', from, to: last } }),
      ],
      ['backfill', () => backfill(req, from, last)],
    ];
    for (const [name, step] of steps) {
      result.asked.push(name);
      try {
        await step();
      } catch {
        // A repair the provider cannot do leaves the hole; the next step may still close it.
        continue;
      }
      bars = await read(req);
      missing = holes(req, bars, end);
      if (missing.length === 0) break;
    }
    return { ...result, bars, unfilled: missing.length };
  }

  return {
    fill(req: GapRequest): Promise<GapFillResult> {
      const key = `${req.symbol}|${req.timeframe}|${req.after}|${req.before ?? ''}`;
      let running = inflight.get(key);
      if (running === undefined) {
        running = fill(req).finally(() => inflight.delete(key));
        inflight.set(key, running);
      }
      return running;
    },
  };
}

export type GapFill = ReturnType<typeof createGapFill>;
