import { bigIntToMs, decimalToString, msToBigInt, nullableBigIntToMs } from '@barfinex/db';
import type { Prisma, PrismaClient } from '@barfinex/db';
import type { BacktestDetail, BacktestMetrics, BacktestSummary, BacktestTrade } from '@barfinex/contracts';
import type { TimeFrame } from '@barfinex/enums';

export interface NewBacktest {
  id: string;
  state: BacktestSummary['state'];
  detector: string;
  params: Record<string, unknown>;
  symbol: string;
  interval: TimeFrame;
  source: Record<string, unknown>;
  request: unknown;
  initialBalance: string;
  total: number;
  createdAt: number;
}

export interface BacktestProgressPatch {
  state?: BacktestSummary['state'];
  processed?: number;
  total?: number;
  startedAt?: number;
  finishedAt?: number;
  metrics?: BacktestMetrics;
  error?: string;
}

type Row = Prisma.BacktestGetPayload<object>;
type TradeRow = Prisma.BacktestTradeGetPayload<object>;
const json = (v: unknown) => v as Prisma.InputJsonValue;

export function toSummary(row: Row): BacktestSummary {
  return {
    id: row.id,
    state: row.state as BacktestSummary['state'],
    detector: row.detector,
    params: row.params as Record<string, unknown>,
    symbol: row.symbol,
    interval: row.interval as TimeFrame,
    source: row.source as Record<string, unknown>,
    initialBalance: decimalToString(row.initialBalance),
    processed: row.processed,
    total: row.total,
    progress: row.state === 'finished' ? 1 : row.total > 0 ? Math.min(1, row.processed / row.total) : 0,
    metrics: (row.metrics as BacktestMetrics | null) ?? null,
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: bigIntToMs(row.createdAt),
    ...(row.startedAt !== null ? { startedAt: nullableBigIntToMs(row.startedAt) as number } : {}),
    ...(row.finishedAt !== null ? { finishedAt: nullableBigIntToMs(row.finishedAt) as number } : {}),
  };
}

function toTrade(row: TradeRow): BacktestTrade {
  return {
    seq: row.seq,
    side: row.side as BacktestTrade['side'],
    quantity: decimalToString(row.quantity),
    entryTime: bigIntToMs(row.entryTime),
    entryPrice: decimalToString(row.entryPrice),
    exitTime: bigIntToMs(row.exitTime),
    exitPrice: decimalToString(row.exitPrice),
    pnl: decimalToString(row.pnl),
    fees: decimalToString(row.fees),
    exitReason: row.exitReason as BacktestTrade['exitReason'],
    ...(row.signalId !== null ? { signalId: row.signalId } : {}),
  };
}

const TRADE_CHUNK = 1_000;

/** The only Prisma user of the backtest area. */
export function createBacktestRepository(prisma: PrismaClient) {
  return {
    async create(b: NewBacktest): Promise<BacktestSummary> {
      const row = await prisma.backtest.create({
        data: {
          ...b,
          params: json(b.params),
          source: json(b.source),
          request: json(b.request),
          processed: 0,
          createdAt: msToBigInt(b.createdAt),
        },
      });
      return toSummary(row);
    },

    async update(id: string, patch: BacktestProgressPatch): Promise<void> {
      await prisma.backtest.update({
        where: { id },
        data: {
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(patch.processed !== undefined ? { processed: patch.processed } : {}),
          ...(patch.total !== undefined ? { total: patch.total } : {}),
          ...(patch.startedAt !== undefined ? { startedAt: msToBigInt(patch.startedAt) } : {}),
          ...(patch.finishedAt !== undefined ? { finishedAt: msToBigInt(patch.finishedAt) } : {}),
          ...(patch.metrics !== undefined ? { metrics: json(patch.metrics) } : {}),
          ...(patch.error !== undefined ? { error: patch.error } : {}),
        },
      });
    },

    /** Stores the trades and the final state in one transaction: a result is whole or absent. */
    async complete(id: string, patch: BacktestProgressPatch, trades: readonly BacktestTrade[]): Promise<void> {
      await prisma.$transaction(async (tx) => {
        for (let i = 0; i < trades.length; i += TRADE_CHUNK) {
          await tx.backtestTrade.createMany({
            data: trades.slice(i, i + TRADE_CHUNK).map((t) => ({
              ...t,
              backtestId: id,
              entryTime: msToBigInt(t.entryTime),
              exitTime: msToBigInt(t.exitTime),
              signalId: t.signalId ?? null,
            })),
          });
        }
        await tx.backtest.update({
          where: { id },
          data: {
            state: patch.state ?? 'finished',
            ...(patch.processed !== undefined ? { processed: patch.processed } : {}),
            ...(patch.finishedAt !== undefined ? { finishedAt: msToBigInt(patch.finishedAt) } : {}),
            ...(patch.metrics !== undefined ? { metrics: json(patch.metrics) } : {}),
          },
        });
      });
    },

    async list(filter: {
      limit: number;
      detector?: string | undefined;
      symbol?: string | undefined;
    }): Promise<BacktestSummary[]> {
      const rows = await prisma.backtest.findMany({
        where: {
          ...(filter.detector ? { detector: filter.detector } : {}),
          ...(filter.symbol ? { symbol: filter.symbol } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
      });
      return rows.map(toSummary);
    },

    async get(id: string): Promise<BacktestDetail | undefined> {
      const row = await prisma.backtest.findUnique({ where: { id }, include: { trades: { orderBy: { seq: 'asc' } } } });
      return row ? { ...toSummary(row), trades: row.trades.map(toTrade) } : undefined;
    },

    async delete(id: string): Promise<boolean> {
      const { count } = await prisma.backtest.deleteMany({ where: { id } });
      return count > 0;
    },

    /** Runs cut short by a restart can never finish: mark them failed so they do not look alive. */
    async failUnfinished(at: number): Promise<number> {
      const { count } = await prisma.backtest.updateMany({
        where: { state: { in: ['queued', 'running'] } },
        data: { state: 'failed', error: 'interrupted by a provider restart', finishedAt: msToBigInt(at) },
      });
      return count;
    },
  };
}

export type BacktestRepository = ReturnType<typeof createBacktestRepository>;
