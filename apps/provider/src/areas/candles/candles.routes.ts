import { providerRoutes as r } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import { AppError, badRequest } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import type { TypedRouter } from '../../http/typed-router';
import type { CandlesRepository } from './candles.repository';

const DAY = 86_400_000;
const MAX_ROWS = 100_000;

export function registerCandleRoutes(
  t: TypedRouter,
  deps: {
    candles: Pick<CandlesRepository, 'lastOpenTime' | 'writeRangeJson'>;
    connectors: ConnectorRegistry;
    maxRows?: number;
  },
): void {
  const maxRows = deps.maxRows ?? MAX_ROWS;
  t.add(r.candles, async ({ params, query, res }) => {
    deps.connectors.require(params.connectorType, params.marketType);
    const series = {
      connectorType: params.connectorType,
      marketType: params.marketType,
      symbol: params.symbol,
      interval: params.interval,
    };
    const anchor = query.to ?? (await deps.candles.lastOpenTime(series));
    if (anchor === undefined) {
      throw new AppError(
        'NOT_FOUND',
        `No candles found for ${series.connectorType}/${series.marketType}/${series.symbol}/${series.interval}`,
        { details: series },
      );
    }
    const right = anchor;
    const left =
      query.from ??
      (query.days !== undefined
        ? right - Math.round(query.days * DAY)
        : right - (series.interval === 'min1' ? 6 * 3_600_000 : 7 * DAY));
    if (left > right) {
      // Only a caller's own from/to can be reversed; a `from` past the newest bar (a client polling
      // for bars after the last one it has) is an empty range, not an error.
      if (query.to !== undefined)
        throw badRequest('Invalid range: "from" must be less than or equal to "to".', { from: left, to: right });
      return [];
    }
    // A range longer than the row cap keeps its newest bars (the ones a caller acts on); cutting
    // at the cap from the oldest end would silently drop the most recent data. Headers say so.
    // The window is counted back from the newest stored bar inside the range, not from a `to` far
    // past it (from=0&to=2030 must still return the stored bars, not an empty future window).
    const step = timeFrameMs(series.interval);
    let from = Math.max(0, left);
    if (step !== undefined && right - from > (maxRows - 1) * step) {
      const newest =
        query.to === undefined ? right : Math.min(right, (await deps.candles.lastOpenTime(series)) ?? right);
      const start = newest - (maxRows - 1) * step;
      if (start > from) {
        from = start;
        res.set({ 'X-Candles-Truncated': 'true', 'X-Candles-From': String(from) });
      }
    }
    // Streamed as the rows arrive; a failure before the first chunk is still an error response.
    res.status(200).type('application/json');
    await deps.candles.writeRangeJson(series, from, right, maxRows, (chunk) => res.write(chunk));
    res.end();
    return undefined;
  });
}
