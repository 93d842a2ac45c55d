import type { Database, PrismaClient } from '@barfinex/db';
import type { SinkEventView } from '@barfinex/contracts';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { getEventDefinition } from '@barfinex/events';
import { actionOf } from '../../ws/sink-record';
import { sqlRunner } from '../orders/orders.sql';

/** One `sink_events` row as written (the Prisma create input, with the timestamp as a number). */
export interface SinkRow {
  eventId: string;
  type: string;
  category: string;
  action: string;
  source: string;
  symbol: string | null;
  connectorType: string | null;
  marketType: string | null;
  timestamp: number;
  correlationId: string | null;
  causationId: string | null;
  replay: boolean;
  payload: unknown;
  /** The publishing app's key (envelope `key`). */
  key: string | null;
}

export interface SinkFilter {
  category?: string | undefined;
  symbol?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  search?: string | undefined;
  correlationId?: string | undefined;
  types?: readonly string[] | undefined;
  symbols?: readonly string[] | undefined;
}

export function toSinkRow(env: EventEnvelope): SinkRow {
  return {
    eventId: env.eventId,
    type: env.type,
    category: getEventDefinition(env.type).category,
    action: actionOf(env.type, env.source),
    source: env.source,
    symbol: env.symbol ?? null,
    connectorType: env.connectorType ?? null,
    marketType: env.marketType ?? null,
    timestamp: env.timestamp,
    correlationId: env.correlationId ?? null,
    causationId: env.causationId ?? null,
    replay: env.replay === true,
    payload: env.payload,
    key: env.key ?? null,
  };
}

/** `%`, `_` and the escape character itself are literal in a user's search text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A parameterised WHERE clause: user input only ever travels as bind parameters. */
export function whereClause(filter: SinkFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.category !== undefined) parts.push(`category = ${bind(filter.category)}`);
  if (filter.symbol !== undefined) parts.push(`symbol = ${bind(filter.symbol)}`);
  if (filter.from !== undefined) parts.push(`"timestamp" >= ${bind(filter.from)}::bigint`);
  if (filter.to !== undefined) parts.push(`"timestamp" <= ${bind(filter.to)}::bigint`);
  if (filter.types?.length) parts.push(`type = ANY(${bind(filter.types)}::text[])`);
  if (filter.symbols?.length) parts.push(`symbol = ANY(${bind(filter.symbols)}::text[])`);
  if (filter.correlationId !== undefined) parts.push(`correlation_id = ${bind(filter.correlationId)}`);
  if (filter.search !== undefined)
    parts.push(`payload::text ILIKE ${bind(`%${escapeLike(filter.search)}%`)} ESCAPE '\\'`);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

interface RawSinkRow {
  id: bigint | number;
  event_id: string;
  type: string;
  category: string;
  action: string;
  source: string;
  symbol: string | null;
  connector_type: string | null;
  market_type: string | null;
  ts: number;
  correlation_id: string | null;
  causation_id: string | null;
  replay: boolean;
  key: string | null;
  payload?: unknown;
}

function view(r: RawSinkRow): SinkEventView & { id: number } {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    type: r.type,
    eventType: `${r.category}.${r.action}`,
    category: r.category,
    action: r.action,
    source: r.source,
    ...(r.symbol !== null ? { symbol: r.symbol } : {}),
    ...(r.connector_type !== null ? { connectorType: r.connector_type } : {}),
    ...(r.market_type !== null ? { marketType: r.market_type } : {}),
    timestamp: Number(r.ts),
    ...(r.correlation_id !== null ? { correlationId: r.correlation_id } : {}),
    ...(r.causation_id !== null ? { causationId: r.causation_id } : {}),
    replay: r.replay,
    ...(r.key !== null ? { key: r.key } : {}),
    ...(r.payload !== undefined ? { payload: r.payload } : {}),
  };
}

const COLUMNS = `id, event_id, type, category, action, source, symbol, connector_type, market_type, "timestamp"::float8 AS ts, correlation_id, causation_id, replay, key`;

/** `pool`: PostgreSQL's pg Pool, when there is one; the sink's batch insert then skips Prisma's query engine. */
export function createEventSinkRepository(prisma: PrismaClient, options: { pool?: Database['pool'] } = {}) {
  const sql = sqlRunner(prisma, options.pool);
  return {
    /**
     * Idempotent: a row whose eventId is already stored (a redelivery) is skipped. Returns the
     * eventIds this call stored, so a redelivered event is never shown a second time.
     */
    async insert(rows: readonly SinkRow[]): Promise<string[]> {
      if (rows.length === 0) return [];
      // The batch travels as one JSON document (jsonb_to_recordset): a 500-row batch is one short
      // statement, which keeps the sink ahead of the market-data rate, and serialising it is one
      // native JSON.stringify. One array parameter per column cost pg's element-by-element array
      // escaping of every payload's JSON text instead (about 2% of the provider's CPU per order).
      // A row's absent field is SQL NULL; an absent payload is stored as JSON null, as before.
      const stored = await sql(
        `INSERT INTO sink_events (event_id, type, category, action, source, symbol, connector_type, market_type, "timestamp", correlation_id, causation_id, replay, payload, key)
         SELECT "eventId", type, category, action, source, symbol, "connectorType", "marketType", "timestamp", "correlationId", "causationId", replay, COALESCE(payload, 'null'::jsonb), key
         FROM jsonb_to_recordset($1::jsonb) AS x("eventId" text, type text, category text, action text, source text, symbol text,
           "connectorType" text, "marketType" text, "timestamp" bigint, "correlationId" text, "causationId" text, replay boolean, payload jsonb, key text)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [JSON.stringify(rows)],
      );
      return stored.map((r) => String(r['event_id']));
    },

    /** Where an event sits in storage order (its row id), for resuming after it; undefined when not stored. */
    async position(eventId: string): Promise<number | undefined> {
      const rows = await prisma.$queryRawUnsafe<Array<{ id: bigint | number }>>(
        `SELECT id FROM sink_events WHERE event_id = $1`,
        eventId,
      );
      return rows[0] === undefined ? undefined : Number(rows[0].id);
    },

    /** Stored events after a position, in storage order, optionally of some types only: what a resuming client missed. */
    async afterPosition(
      position: number,
      types: readonly string[] | undefined,
      limit: number,
    ): Promise<Array<SinkEventView & { id: number }>> {
      const rows = await prisma.$queryRawUnsafe<RawSinkRow[]>(
        `SELECT ${COLUMNS}, payload FROM sink_events WHERE id > $1::bigint ${types ? 'AND type = ANY($3::text[])' : ''} ORDER BY id ASC LIMIT $2`,
        ...(types ? [position, limit, types] : [position, limit]),
      );
      return rows.map(view);
    },

    async page(filter: SinkFilter, page: number, limit: number, includePayload: boolean) {
      const where = whereClause(filter);
      const n = where.params.length;
      const [rows, counted] = await Promise.all([
        prisma.$queryRawUnsafe<RawSinkRow[]>(
          `SELECT ${COLUMNS}${includePayload ? ', payload' : ''} FROM sink_events ${where.sql} ORDER BY "timestamp" DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
          ...where.params,
          limit,
          (page - 1) * limit,
        ),
        prisma.$queryRawUnsafe<Array<{ total: bigint | number }>>(
          `SELECT count(*) AS total FROM sink_events ${where.sql}`,
          ...where.params,
        ),
      ]);
      return { rows: rows.map(view), total: Number(counted[0]?.total ?? 0) };
    },

    /** Oldest first after a (timestamp, id) cursor: the replay's keyset pagination. */
    async after(filter: SinkFilter, cursor: { timestamp: number; id: number }, limit: number) {
      const where = whereClause(filter);
      const n = where.params.length;
      const keyset = `("timestamp", id) > ($${n + 1}::bigint, $${n + 2}::bigint)`;
      const sql = where.sql ? `${where.sql} AND ${keyset}` : `WHERE ${keyset}`;
      const rows = await prisma.$queryRawUnsafe<RawSinkRow[]>(
        `SELECT ${COLUMNS}, payload FROM sink_events ${sql} ORDER BY "timestamp" ASC, id ASC LIMIT $${n + 3}`,
        ...where.params,
        cursor.timestamp,
        cursor.id,
        limit,
      );
      return rows.map(view);
    },

    async count(filter: SinkFilter): Promise<number> {
      const where = whereClause(filter);
      const rows = await prisma.$queryRawUnsafe<Array<{ total: bigint | number }>>(
        `SELECT count(*) AS total FROM sink_events ${where.sql}`,
        ...where.params,
      );
      return Number(rows[0]?.total ?? 0);
    },

    /** Events per category since `from` (event time). */
    async countsByCategory(from: number): Promise<Record<string, number>> {
      const rows = await prisma.$queryRawUnsafe<Array<{ category: string; n: bigint | number }>>(
        `SELECT category, count(*) AS n FROM sink_events WHERE "timestamp" >= $1::bigint GROUP BY category`,
        from,
      );
      return Object.fromEntries(rows.map((r) => [r.category, Number(r.n)]));
    },

    /**
     * Event time of the newest stored event of these types (undefined when none is stored). Per
     * category, newest first through the (category, timestamp) index: a max over the timestamp
     * index alone would walk back over every newer row of other types (market data) first.
     */
    async newestOf(types: readonly EventName[]): Promise<number | undefined> {
      const categories = [...new Set(types.map((t) => getEventDefinition(t).category))];
      const rows = await prisma.$queryRawUnsafe<Array<{ ts: number | null }>>(
        `SELECT max(x.ts)::float8 AS ts FROM unnest($1::text[]) AS c(category)
         CROSS JOIN LATERAL (
           SELECT "timestamp" AS ts FROM sink_events
           WHERE category = c.category AND type = ANY($2::text[]) AND NOT replay
           ORDER BY "timestamp" DESC LIMIT 1
         ) AS x`,
        categories,
        [...types],
      );
      const ts = rows[0]?.ts;
      return ts === null || ts === undefined ? undefined : Number(ts);
    },

    /**
     * The newest live events of one type for a symbol on one connector and market, newest first
     * (order flow for signals context: spot and futures prints of a symbol are different markets).
     */
    async latest(
      type: string,
      market: { connectorType: string; marketType: string; symbol: string },
      limit: number,
    ): Promise<Array<{ timestamp: number; payload: unknown }>> {
      const rows = await prisma.$queryRawUnsafe<Array<{ ts: number; payload: unknown }>>(
        `SELECT "timestamp"::float8 AS ts, payload FROM sink_events
         WHERE symbol = $1 AND type = $2 AND connector_type = $3 AND market_type = $4 AND NOT replay
         ORDER BY "timestamp" DESC, id DESC LIMIT $5`,
        market.symbol,
        type,
        market.connectorType,
        market.marketType,
        limit,
      );
      return rows.map((r) => ({ timestamp: Number(r.ts), payload: r.payload }));
    },

    /**
     * Deletes at most `limit` events of the given categories older than `before` (event time, ms);
     * answers how many it deleted. The rows are found through the (category, timestamp) index (or
     * the first pages, where most rows are due) and deleted by primary key, so a batch costs what
     * it deletes, not the table's size: joined to the table instead, the DELETE was planned as a
     * hash join over a scan of the whole table.
     */
    async prune(before: number, categories: readonly string[], limit: number): Promise<number> {
      const rows = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
        `WITH gone AS (
           DELETE FROM sink_events WHERE id = ANY(ARRAY(
             SELECT id FROM sink_events WHERE category = ANY($2::text[]) AND "timestamp" < $1::bigint LIMIT $3
           ))
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM gone`,
        before,
        [...categories],
        limit,
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}

export type EventSinkRepository = ReturnType<typeof createEventSinkRepository>;
