import { bigIntToMs, msToBigInt, nullableBigIntToMs } from '@barfinex/db';
import type { Prisma, PrismaClient } from '@barfinex/db';
import type {
  OptimizationRequest,
  OptimizationResult,
  OptimizationSummary,
  OptimizationTrial,
  TrialScore,
} from '@barfinex/contracts';
import type { TimeFrame } from '@barfinex/enums';
import type { TrialRecord, TrialRole } from './optimizer';
import type { TrialStats } from './scoring';

type Row = Prisma.OptimizationGetPayload<object>;
type TrialRow = Prisma.OptimizationTrialGetPayload<object>;
const json = (v: unknown) => v as Prisma.InputJsonValue;
type Best = OptimizationSummary['best'];

export interface StoredOptimization {
  summary: OptimizationSummary;
  request: OptimizationRequest;
  result: OptimizationResult | null;
}

function toSummary(row: Row): OptimizationSummary {
  return {
    id: row.id,
    state: row.state as OptimizationSummary['state'],
    detector: row.detector,
    symbols: row.symbols as string[],
    interval: row.interval as TimeFrame,
    objective: row.objective as OptimizationSummary['objective'],
    method: row.method as OptimizationSummary['method'],
    done: row.done,
    total: row.total,
    progress: row.state === 'finished' ? 1 : row.total > 0 ? Math.min(1, row.done / row.total) : 0,
    best: (row.best as Best | null) ?? null,
    etaMs: null,
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: bigIntToMs(row.createdAt),
    ...(row.startedAt !== null ? { startedAt: nullableBigIntToMs(row.startedAt) as number } : {}),
    ...(row.finishedAt !== null ? { finishedAt: nullableBigIntToMs(row.finishedAt) as number } : {}),
  };
}

function toRecord(row: TrialRow): TrialRecord {
  return {
    fold: row.fold,
    seq: row.seq,
    role: row.role as TrialRole,
    params: row.params as Record<string, unknown>,
    score: row.score as TrialScore,
    stats: (row.stats as TrialStats | null) ?? null,
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

export const toTrialView = (t: TrialRecord): OptimizationTrial => ({
  fold: t.fold,
  seq: t.seq,
  role: t.role,
  params: t.params,
  score: t.score,
  ...(t.error !== undefined ? { error: t.error } : {}),
});

export interface OptimizationPatch {
  state?: OptimizationSummary['state'];
  done?: number;
  total?: number;
  best?: Best;
  result?: OptimizationResult;
  error?: string;
  startedAt?: number;
  finishedAt?: number;
}

/** The only Prisma user of the optimisation area. */
export function createOptimizationRepository(prisma: PrismaClient) {
  return {
    async create(o: {
      id: string;
      request: OptimizationRequest;
      total: number;
      createdAt: number;
    }): Promise<OptimizationSummary> {
      const row = await prisma.optimization.create({
        data: {
          id: o.id,
          state: 'queued',
          detector: o.request.detector,
          symbols: json(o.request.symbols),
          interval: o.request.interval,
          objective: o.request.objective,
          method: o.request.search.method,
          request: json(o.request),
          done: 0,
          total: o.total,
          createdAt: msToBigInt(o.createdAt),
        },
      });
      return toSummary(row);
    },

    async update(id: string, patch: OptimizationPatch): Promise<void> {
      await prisma.optimization.update({
        where: { id },
        data: {
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(patch.done !== undefined ? { done: patch.done } : {}),
          ...(patch.total !== undefined ? { total: patch.total } : {}),
          ...(patch.best !== undefined ? { best: json(patch.best) } : {}),
          ...(patch.result !== undefined ? { result: json(patch.result) } : {}),
          ...(patch.error !== undefined ? { error: patch.error } : {}),
          ...(patch.startedAt !== undefined ? { startedAt: msToBigInt(patch.startedAt) } : {}),
          ...(patch.finishedAt !== undefined ? { finishedAt: msToBigInt(patch.finishedAt) } : {}),
        },
      });
    },

    /** One finished trial; a trial stored twice (a retried write) keeps its first row. */
    async storeTrial(id: string, t: TrialRecord, at: number, progress: { done: number; best: Best }): Promise<void> {
      await prisma.$transaction([
        prisma.optimizationTrial.createMany({
          data: [
            {
              optimizationId: id,
              fold: t.fold,
              role: t.role,
              seq: t.seq,
              params: json(t.params),
              score: json(t.score),
              stats: t.stats ? json(t.stats) : undefined,
              error: t.error ?? null,
              createdAt: msToBigInt(at),
            },
          ],
          skipDuplicates: true,
        }),
        prisma.optimization.update({
          where: { id },
          data: { done: progress.done, ...(progress.best ? { best: json(progress.best) } : {}) },
        }),
      ]);
    },

    async trials(id: string, options: { limit?: number; withStats?: boolean } = {}): Promise<TrialRecord[]> {
      const rows = await prisma.optimizationTrial.findMany({
        where: { optimizationId: id },
        orderBy: [{ createdAt: 'asc' }, { fold: 'asc' }, { role: 'asc' }, { seq: 'asc' }],
        ...(options.limit !== undefined ? { take: options.limit } : {}),
        ...(options.withStats === false ? { omit: { stats: true } } : {}),
      });
      return rows.map((r) => toRecord(r as TrialRow));
    },

    async trial(id: string, fold: number, role: TrialRole, seq: number): Promise<TrialRecord | undefined> {
      const row = await prisma.optimizationTrial.findUnique({
        where: { optimizationId_fold_role_seq: { optimizationId: id, fold, role, seq } },
      });
      return row ? toRecord(row) : undefined;
    },

    async get(id: string): Promise<StoredOptimization | undefined> {
      const row = await prisma.optimization.findUnique({ where: { id } });
      return row
        ? {
            summary: toSummary(row),
            request: row.request as OptimizationRequest,
            result: (row.result as OptimizationResult | null) ?? null,
          }
        : undefined;
    },

    async list(filter: { limit: number; detector?: string | undefined }): Promise<OptimizationSummary[]> {
      const rows = await prisma.optimization.findMany({
        where: filter.detector ? { detector: filter.detector } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
      });
      return rows.map(toSummary);
    },

    /** Jobs a previous process left queued or running: they resume. */
    async unfinished(): Promise<string[]> {
      const rows = await prisma.optimization.findMany({
        where: { state: { in: ['queued', 'running'] } },
        orderBy: { createdAt: 'asc' },
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },

    async delete(id: string): Promise<boolean> {
      const { count } = await prisma.optimization.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}

export type OptimizationRepository = ReturnType<typeof createOptimizationRepository>;
