import { createQuarantine } from '@barfinex/db';
import type { Database, PrismaClient, QuarantineEntry } from '@barfinex/db';
import { sqlRunner } from '../areas/orders/orders.sql';
import { CORE_PART, assembleSnapshot, marketPartName, orderPartName } from './sim';
import type { SimChanges, SimExchange } from './sim';
import { restoreBestEffort } from './sim-snapshot.recover';

export interface SimStateStoreDeps {
  prisma: PrismaClient;
  /** PostgreSQL's pg Pool, when there is one: a save (one per order under load) then skips Prisma's query engine. */
  pool?: Database['pool'];
  /** `sim:<seed>`: the parts' exchange_key, and the key of the legacy whole-snapshot row in key_values. */
  key: string;
  exchange: Pick<SimExchange, 'takeChanges' | 'returnChanges' | 'markAllChanged' | 'restore'>;
  now?: () => number;
  /**
   * Market parts (ticker, recent trades) are written at most this often, except by
   * `save({ all: true })`. A crash loses at most this much of them; orders, balances and
   * positions never depend on them.
   */
  marketIntervalMs?: number;
  /** Told about stored state that failed validation and was moved to the quarantine (to log it loudly). */
  onQuarantine?: (entries: QuarantineEntry[]) => void;
}

export type SimStateLoad = 'parts' | 'legacy' | 'none';

/**
 * One save = one statement: upsert the core and the changed parts, delete the evicted orders'
 * parts (and, for a full rewrite, every part not written; after a legacy load, the legacy row).
 * Data-modifying CTEs run to completion even when nothing reads them, and the whole statement
 * commits or fails as one, so a crash never leaves half a save.
 */
function saveSql(full: boolean, legacy: boolean): string {
  const rows = 'jsonb_to_recordset($3::jsonb) AS p(part text, value jsonb)';
  const ctes = [
    // An array, not a JSON list joined in: the planner then looks each part up in the primary key
    // instead of reading every part of the exchange (a thousand retained orders) on each save.
    `dropped AS (DELETE FROM sim_state_parts WHERE exchange_key = $1::text AND part = ANY($4::text[]))`,
  ];
  if (full) {
    ctes.push(
      `stale AS (DELETE FROM sim_state_parts WHERE exchange_key = $1::text AND part NOT IN (SELECT p.part FROM ${rows}))`,
    );
  }
  if (legacy) ctes.push(`legacy AS (DELETE FROM key_values WHERE key = $1::text)`);
  return `WITH ${ctes.join(', ')}
    INSERT INTO sim_state_parts (exchange_key, part, value, updated_at)
    SELECT $1::text, p.part, p.value, $2::bigint FROM ${rows}
    ON CONFLICT (exchange_key, part) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`;
}

/** Parts as JSON text: one stringify for the whole batch, sent as one parameter. */
function rowsJson(changes: SimChanges): string {
  const rows: { part: string; value: unknown }[] = [{ part: CORE_PART, value: changes.core }];
  for (const m of changes.markets) rows.push({ part: marketPartName(m.key), value: m.value });
  for (const o of changes.orders) rows.push({ part: orderPartName(o.id), value: o });
  return JSON.stringify(rows);
}

/**
 * Stores the simulator's state as parts (sim_state_parts), writing on each save only the core
 * and what changed. Saves coalesce: a save requested while one is running is folded into a
 * single follow-up, and every caller's promise resolves only after a state taken after its
 * request is durable. A failed write hands its changes back to the exchange, so the next save
 * carries them.
 */
export function createSimStateStore(deps: SimStateStoreDeps) {
  const now = deps.now ?? Date.now;
  const quarantined = createQuarantine({ prisma: deps.prisma, app: 'provider', now });
  const marketIntervalMs = deps.marketIntervalMs ?? 5_000;
  const sql = sqlRunner(deps.prisma, deps.pool);
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let queuedAll = false;
  let lastMarketWrite = -Infinity;
  /** The legacy key_values row still exists and goes with the next successful write. */
  let legacyRow = false;
  /** The last write failed: what it carried waits for the next save. */
  let behind = false;

  async function write(all: boolean): Promise<void> {
    const at = now();
    const markets = all || at - lastMarketWrite >= marketIntervalMs;
    const changes = deps.exchange.takeChanges({ markets });
    const legacy = legacyRow;
    const evicted = changes.evicted.map(orderPartName);
    try {
      await sql(saveSql(changes.full, legacy), [deps.key, at, rowsJson(changes), evicted]);
    } catch (err) {
      deps.exchange.returnChanges(changes);
      behind = true;
      throw err;
    }
    behind = false;
    if (markets || changes.full) lastMarketWrite = at;
    if (legacy) legacyRow = false;
  }

  function save(options: { all?: boolean } = {}): Promise<void> {
    const all = options.all === true;
    if (!running) {
      // Without a pool the database runs on this thread (PGlite), and each order's chain would run
      // its own save before the next request is read: the save waits for the turn's other orders.
      const started = deps.pool ? write(all) : new Promise((r) => setImmediate(r)).then(() => write(all));
      running = started.finally(() => {
        running = undefined;
      });
      return running;
    }
    queuedAll ||= all;
    if (!queued) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          const next = queuedAll;
          queuedAll = false;
          return save({ all: next });
        });
    }
    return queued;
  }

  /**
   * Restores the exchange from the stored parts; without parts, from the legacy whole snapshot,
   * then marks everything changed so the first save writes every part and drops the legacy row.
   * With nothing stored, the first save writes every part too.
   */
  async function quarantine(entries: QuarantineEntry[], removal: Parameters<typeof quarantined.put>[1]): Promise<void> {
    await quarantined.put(entries, removal);
    deps.onQuarantine?.(entries);
  }

  /**
   * No stored state can stop a start: parts that do not restore are moved to the quarantine
   * (see sim-snapshot.recover.ts for which go) and the market starts from the rest, or fresh.
   */
  async function load(): Promise<SimStateLoad> {
    const rows = await deps.prisma.simStatePart.findMany({
      where: { exchangeKey: deps.key },
      select: { part: true, value: true },
    });
    if (rows.length > 0) {
      const parts = new Map(rows.map((r) => [r.part, r.value]));
      const refused = restoreBestEffort(parts, (kept) => deps.exchange.restore(assembleSnapshot(kept)));
      if (refused.length > 0) {
        const names = refused.map((r) => r.part);
        await quarantine(
          refused.map((r) => ({
            source: 'sim_state_parts',
            key: `${deps.key}/${r.part}`,
            reason: r.reason,
            value: parts.get(r.part),
          })),
          [deps.prisma.simStatePart.deleteMany({ where: { exchangeKey: deps.key, part: { in: names } } })],
        );
        // What is left in storage (or nothing) must be rewritten from the engine as it now is.
        deps.exchange.markAllChanged();
        if (refused.length === parts.size) return 'none';
      }
      return 'parts';
    }
    const legacy = await deps.prisma.keyValue.findUnique({ where: { key: deps.key } });
    deps.exchange.markAllChanged();
    if (legacy === null) return 'none';
    try {
      deps.exchange.restore(legacy.value);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await quarantine(
        [{ source: 'key_values', key: deps.key, reason, value: legacy.value }],
        [deps.prisma.keyValue.delete({ where: { key: deps.key } })],
      );
      return 'none';
    }
    legacyRow = true;
    return 'legacy';
  }

  return {
    save,
    load,
    /** True while the last write failed (a retry is due). */
    isBehind: () => behind,
  };
}

export type SimStateStore = ReturnType<typeof createSimStateStore>;
