import type { Prisma, PrismaClient, Quarantine } from '@barfinex/db';
import { bigIntToMs, createQuarantine, isUniqueViolation, msToBigInt } from '@barfinex/db';
import { DecisionRecordSchema } from './decision-record';
import type { DecisionOutcome, DecisionRecord } from './decision-record';

export interface DecisionListQuery {
  page: number;
  limit: number;
  symbol?: string;
  outcome?: DecisionOutcome;
}

export interface StoredPipelineConfig<C = unknown> {
  config: C;
  version: number;
  updatedAt: number;
}

export interface DecisionsRepository {
  findByDedupKey(dedupKey: string): Promise<DecisionRecord | undefined>;
  get(decisionId: string): Promise<DecisionRecord | undefined>;
  /** Inserts once per dedup key; a concurrent or repeated insert gets the stored record back. */
  insert(record: DecisionRecord): Promise<{ record: DecisionRecord; created: boolean }>;
  markPublished(decisionId: string, at: number): Promise<void>;
  list(query: DecisionListQuery): Promise<{ items: DecisionRecord[]; total: number }>;
  /** The stored config as `parse` reads it; one `parse` refuses is quarantined and reads as none. */
  loadConfig<C>(parse: (config: unknown) => C): Promise<StoredPipelineConfig<C> | undefined>;
  saveConfig(config: unknown, at: number): Promise<StoredPipelineConfig>;
}

type Row = Prisma.AdvisorDecisionGetPayload<object>;
const json = (value: unknown) => value as Prisma.InputJsonValue;

function toRecord(row: Row): DecisionRecord {
  const extras = (row.context ?? {}) as Record<string, unknown>;
  const { confidenceLow, ...context } = extras;
  // Stored rows were valid when written; parsing again keeps the REST types honest.
  return DecisionRecordSchema.parse({
    decisionId: row.decisionId,
    dedupKey: row.dedupKey,
    signalId: row.signalId ?? undefined,
    requestId: row.requestId ?? undefined,
    symbol: row.symbol,
    direction: row.direction ?? undefined,
    outcome: row.outcome,
    approved: row.approved,
    confidence: row.confidence,
    reasoning: row.reasoning,
    stages: row.stages,
    context,
    intent: row.intent ?? undefined,
    confidenceLow: confidenceLow ?? undefined,
    correlationId: row.correlationId ?? undefined,
    causationId: row.causationId ?? undefined,
    decidedAt: bigIntToMs(row.decidedAt),
    publishedAt: row.publishedAt === null ? undefined : bigIntToMs(row.publishedAt),
  });
}

/**
 * The only Prisma user of the advisor; rows are scoped by the advisor's app key. A stored row that
 * no longer validates is moved to the quarantine when read: a decision then reads as absent (a
 * redelivered signal is decided again instead of failing forever), the config as never saved.
 */
export function createDecisionsRepository(
  prisma: PrismaClient,
  advisorKey: string,
  quarantine: Quarantine = createQuarantine({ prisma, app: 'advisor' }),
): DecisionsRepository {
  const decisions = prisma.advisorDecision;
  const valid = (rows: readonly Row[]) =>
    quarantine.keepValid(rows, {
      source: 'advisor_decisions',
      key: (r) => `${advisorKey}/${r.dedupKey}`,
      parse: toRecord,
      remove: (refused) => decisions.deleteMany({ where: { id: { in: refused.map((r) => r.id) } } }),
    });
  const one = async (row: Row | null) => (row ? (await valid([row]))[0] : undefined);
  const findByDedupKey = async (dedupKey: string) =>
    one(await decisions.findUnique({ where: { advisorKey_dedupKey: { advisorKey, dedupKey } } }));
  return {
    findByDedupKey,
    get: async (decisionId) => one(await decisions.findFirst({ where: { advisorKey, decisionId } })),
    async insert(record) {
      try {
        const row = await decisions.create({
          data: {
            advisorKey,
            dedupKey: record.dedupKey,
            decisionId: record.decisionId,
            signalId: record.signalId ?? null,
            requestId: record.requestId ?? null,
            symbol: record.symbol,
            direction: record.direction ?? null,
            outcome: record.outcome,
            approved: record.approved,
            confidence: record.confidence,
            reasoning: record.reasoning,
            stages: json(record.stages),
            context: json(
              record.confidenceLow ? { ...record.context, confidenceLow: record.confidenceLow } : record.context,
            ),
            ...(record.intent ? { intent: json(record.intent) } : {}),
            correlationId: record.correlationId ?? null,
            causationId: record.causationId ?? null,
            decidedAt: msToBigInt(record.decidedAt),
            publishedAt: record.publishedAt === undefined ? null : msToBigInt(record.publishedAt),
          },
        });
        return { record: toRecord(row), created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const existing = await findByDedupKey(record.dedupKey);
        if (!existing) throw err;
        return { record: existing, created: false };
      }
    },
    async markPublished(decisionId, at) {
      await decisions.updateMany({
        where: { advisorKey, decisionId, publishedAt: null },
        data: { publishedAt: msToBigInt(at) },
      });
    },
    async list(query) {
      // Venue symbols are upper case (the detector's /signals filter upper-cases too), so btcusdt finds
      // BTCUSDT; the symbol as sent still matches a request stored in its own case. Not ILIKE: `_` is a wildcard there.
      const symbol = query.symbol ? { symbol: { in: [...new Set([query.symbol, query.symbol.toUpperCase()])] } } : {};
      const where: Prisma.AdvisorDecisionWhereInput = {
        advisorKey,
        ...symbol,
        ...(query.outcome ? { outcome: query.outcome } : {}),
      };
      const [rows, total] = await Promise.all([
        decisions.findMany({
          where,
          orderBy: [{ decidedAt: 'desc' }, { id: 'desc' }],
          skip: (query.page - 1) * query.limit,
          take: query.limit,
        }),
        decisions.count({ where }),
      ]);
      const items = await valid(rows);
      return { items, total: total - (rows.length - items.length) };
    },
    async loadConfig(parse) {
      const row = await prisma.advisorPipelineConfig.findUnique({ where: { advisorKey } });
      const [kept] = await quarantine.keepValid(row ? [row] : [], {
        source: 'advisor_pipeline_configs',
        key: (r) => r.advisorKey,
        parse: (r) => ({ config: parse(r.config), version: r.version, updatedAt: bigIntToMs(r.updatedAt) }),
        remove: () => prisma.advisorPipelineConfig.deleteMany({ where: { advisorKey } }),
      });
      return kept;
    },
    async saveConfig(config, at) {
      const row = await prisma.advisorPipelineConfig.upsert({
        where: { advisorKey },
        create: { advisorKey, config: json(config), version: 1, updatedAt: msToBigInt(at) },
        update: { config: json(config), version: { increment: 1 }, updatedAt: msToBigInt(at) },
      });
      return { config: row.config, version: row.version, updatedAt: bigIntToMs(row.updatedAt) };
    },
  };
}
