import type { Bus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import type { Logger } from 'pino';
import { registerBackfillRoutes } from '../backfill/backfill.routes';
import { createBackfillService } from '../backfill/backfill.service';
import type { CandlesRepository } from '../candles/candles.repository';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { TypedRouter } from '../http/typed-router';
import { createBacktestRepository } from './backtest.repository';
import { registerBacktestRoutes } from './backtest.routes';
import { createBacktestService } from './backtest.service';

export interface JobAreaDeps {
  db: Database;
  bus: Bus;
  logger: Logger;
  candles: CandlesRepository;
  connectors: ConnectorRegistry;
  maxBacktestBars: number;
  now: () => number;
}

/** The long-running jobs: backtests and candle backfills. Wiring only. */
export function createJobAreas(t: TypedRouter, d: JobAreaDeps) {
  const backtests = createBacktestService({
    repo: createBacktestRepository(d.db.prisma),
    candles: d.candles,
    bus: d.bus,
    maxBars: d.maxBacktestBars,
    now: d.now,
    log: d.logger.child({ component: 'backtest' }),
  });
  const backfill = createBackfillService({ connectors: d.connectors, candles: d.candles, bus: d.bus, now: d.now, log: d.logger.child({ component: 'backfill' }) });
  registerBacktestRoutes(t, { backtests });
  registerBackfillRoutes(t, { backfill });
  return {
    backtests,
    backfill,
    async start(): Promise<void> {
      const failed = await backtests.recover();
      if (failed > 0) d.logger.warn({ failed }, 'backtests left unfinished by the last run marked failed');
    },
    async stop(): Promise<void> {
      await Promise.all([backtests.stop(), backfill.stop()]);
    },
  };
}
