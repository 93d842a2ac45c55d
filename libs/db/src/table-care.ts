import type { QueryConfig } from 'pg';
import type { Database } from './database';

/**
 * Vacuum and planner statistics for the tables an app churns, where nothing else keeps them.
 *
 * Every UPDATE and DELETE leaves a dead row version behind until VACUUM removes it, and the
 * planner's statistics go stale until ANALYZE refreshes them. PostgreSQL's autovacuum daemon does
 * both (PostgreSQL 15 docs, 25.1 "Routine Vacuuming" and 25.1.6 "The Autovacuum Daemon"), but
 * only when the server runs it: it is a server setting (`autovacuum`, and it "cannot be used
 * unless track_counts is set"), and PGlite runs Postgres as one process with no autovacuum
 * launcher at all. There nothing cleans up, and an order path that updates every
 * order slows down for as long as the process runs. Measured on a server with autovacuum off,
 * 80,000 orders later `sim_state_parts` held 80,000 dead rows for 1,000 live ones and the orders
 * update had gone from under 1 ms to 40 ms: its generic plan, cached while the table was small,
 * read the whole table, and with no ANALYZE nothing ever made PostgreSQL plan it again. Orders
 * per second fell to less than half.
 *
 * So where autovacuum does not run, the app tends its own churned tables, the way the daemon would:
 *
 * - On PostgreSQL it reads the tables' counters (`pg_stat_user_tables`) every `checkMs` and, like
 *   the daemon, decides vacuum and analyze separately, with its default thresholds (docs, 25.1.6
 *   and 20.10 "Automatic Vacuuming"): VACUUM past 50 + 20 % of the rows dead, or past 1,000 + 20 %
 *   of them inserted since the last vacuum (`autovacuum_vacuum_insert_threshold`, PostgreSQL 13 and
 *   later: an insert-mostly table gets its visibility map set); ANALYZE past 50 + 10 % of them
 *   changed since the last analyze. A table due for both gets `VACUUM (ANALYZE)`. A table that
 *   grows is so re-analyzed each time it grew by a tenth, and ANALYZE makes PostgreSQL plan a
 *   prepared statement again before its next use (docs, "PREPARE", Notes). The statements run on
 *   the server, not on the app's thread. (One verb for every due table, as before, ran a VACUUM
 *   of the append-mostly `sink_events` each time it only needed statistics.) They run throttled as
 *   the daemon's are: a VACUUM or ANALYZE sleeps `costDelayMs` each time its work reaches
 *   `vacuum_cost_limit` (docs, 20.4.4 "Cost-based Vacuum Delay": `vacuum_cost_delay` defaults to 0,
 *   so a manually issued VACUUM or ANALYZE runs unthrottled; 20.10 "Automatic Vacuuming":
 *   `autovacuum_vacuum_cost_delay` defaults to 2 ms), so a round spreads its work instead of
 *   taking the server's share of the cores in one burst while orders wait on the same cores.
 * - PGlite keeps no counters it flushes in time to read, and runs every statement on the app's
 *   own thread: there each table gets a plain VACUUM every `pgliteEveryMs` (a VACUUM skips the
 *   pages it finds all-visible, so a round costs about what changed since the last one). No
 *   ANALYZE: the embedded path sends unnamed statements, planned afresh each time with the
 *   table's current size, and an ANALYZE of a large table would hold the thread for a while.
 *
 * Where autovacuum runs, this stays out of its way.
 */
export interface TableCareOptions {
  /** `pool`, PostgreSQL's: the VACUUM goes through it, free of the pool's query timeout (see `vacuumTimeoutMs`). */
  db: Pick<Database, 'kind' | 'prisma'> & Partial<Pick<Database, 'pool'>>;
  /** The tables to tend: the ones the app updates or deletes from at its write rate. */
  tables: readonly string[];
  /** PostgreSQL: how often the tables' counters are read. Default 5 s; 0 = no timer. */
  checkMs?: number;
  /** PGlite: how often each table is vacuumed. Default 30 s; 0 = no timer. */
  pgliteEveryMs?: number;
  /**
   * PostgreSQL: how long a VACUUM may run (default 6 h). The pool's query timeout (30 s) is for
   * requests; the first VACUUM of a large table that nothing ever vacuumed takes longer, and a
   * client-side timeout does not stop it on the server: the round would be reported failed while
   * the VACUUM went on, and the next round, finding the table still past the thresholds, would
   * queue a second one behind its lock, and so on every `checkMs`.
   */
  vacuumTimeoutMs?: number;
  /**
   * PostgreSQL: the round's `vacuum_cost_delay` in ms (default 2, autovacuum's own default; 0 runs
   * unthrottled). Never on PGlite, where the statements run on the app's thread and a sleep would
   * stop it.
   */
  costDelayMs?: number;
  /** PostgreSQL: the round's `vacuum_cost_limit` (default: the server's, 200 unless configured, as the daemon uses). */
  costLimit?: number;
  /** A round that tended some tables: which, and how long it took (ms). */
  onRound?: (tables: readonly string[], ms: number) => void;
  /** A round that failed; the next one tries again. */
  onError?: (err: unknown) => void;
  now?: () => number;
}

/** Who keeps the tables: the server's autovacuum, or this app (see `createTableCare`). */
export type TableCareMode = 'autovacuum' | 'app';

export interface TableCare {
  /** Decides who keeps the tables and, when it is the app, starts the timer. */
  start(): Promise<TableCareMode>;
  /** Stops the timer, cancels a VACUUM in progress (PostgreSQL) and waits for the round to end. */
  stop(): Promise<void>;
  /**
   * One round now: on PostgreSQL the tables past the thresholds (all of them with `all`), on
   * PGlite every table. Resolves with the tables it tended.
   */
  runOnce(options?: { all?: boolean }): Promise<string[]>;
}

/** Autovacuum's defaults (autovacuum_vacuum_threshold / _scale_factor, autovacuum_analyze_*). */
const VACUUM_BASE = 50;
const VACUUM_SHARE = 0.2;
const ANALYZE_BASE = 50;
const ANALYZE_SHARE = 0.1;
/** autovacuum_vacuum_insert_threshold / _scale_factor (PostgreSQL 13+). */
const INSERT_BASE = 1000;
const INSERT_SHARE = 0.2;

/** What one table is due for; `runOnce` groups the tables by it, one statement per group. */
type Verb = 'VACUUM (ANALYZE)' | 'VACUUM' | 'ANALYZE';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** True when the server's autovacuum daemon runs (never on PGlite, which has no launcher). */
export async function autovacuumRuns(db: Pick<Database, 'kind' | 'prisma'>): Promise<boolean> {
  if (db.kind === 'pglite') return false;
  const rows = await db.prisma.$queryRawUnsafe<Array<{ runs: boolean }>>(
    `SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on' AS runs`,
  );
  return rows[0]?.runs === true;
}

export function createTableCare(options: TableCareOptions): TableCare {
  for (const table of options.tables) {
    if (!IDENTIFIER.test(table)) throw new Error(`table care: "${table}" is not a plain table name`);
  }
  const { db } = options;
  const now = options.now ?? Date.now;
  const everyMs = db.kind === 'pglite' ? (options.pgliteEveryMs ?? 30_000) : (options.checkMs ?? 5_000);
  const vacuumTimeoutMs = options.vacuumTimeoutMs ?? 6 * 3_600_000;
  const costDelayMs = options.costDelayMs ?? 2;
  // Both go into the statement's text: whole numbers within the ranges the server takes (docs, 20.4.4).
  if (!Number.isInteger(costDelayMs) || costDelayMs < 0 || costDelayMs > 100)
    throw new Error(`table care: costDelayMs ${costDelayMs} is not 0-100`);
  const { costLimit } = options;
  if (costLimit !== undefined && (!Number.isInteger(costLimit) || costLimit < 1 || costLimit > 10_000))
    throw new Error(`table care: costLimit ${costLimit} is not 1-10000`);
  // Set on the round's own connection, and reset before it goes back to the pool; free of the
  // pool's query timeout, as the round's VACUUM is (see `runOnce`).
  const throttle = `SET vacuum_cost_delay = ${costDelayMs}${costLimit === undefined ? '' : `; SET vacuum_cost_limit = ${costLimit}`}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let cancelling = false;
  /** Server processes running a VACUUM of this care (PostgreSQL). */
  const vacuuming = new Set<number>();

  /** PostgreSQL: the tables past autovacuum's thresholds, from the server's counters, with what each needs. */
  async function due(): Promise<Array<{ table: string; verb: Verb }>> {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ relname: string; vacuum: boolean; analyze: boolean }>>(
      `SELECT relname,
              (n_dead_tup > ${VACUUM_BASE} + ${VACUUM_SHARE} * n_live_tup
               OR n_ins_since_vacuum > ${INSERT_BASE} + ${INSERT_SHARE} * n_live_tup) AS vacuum,
              n_mod_since_analyze > ${ANALYZE_BASE} + ${ANALYZE_SHARE} * n_live_tup AS analyze
         FROM pg_stat_user_tables
        WHERE schemaname = current_schema() AND relname = ANY($1::text[])
        ORDER BY relname`,
      [...options.tables],
    );
    const out: Array<{ table: string; verb: Verb }> = [];
    for (const r of rows) {
      const verb: Verb | undefined =
        r.vacuum && r.analyze ? 'VACUUM (ANALYZE)' : r.vacuum ? 'VACUUM' : r.analyze ? 'ANALYZE' : undefined;
      if (verb) out.push({ table: r.relname, verb });
    }
    return out;
  }

  async function runOnce(opts: { all?: boolean } = {}): Promise<string[]> {
    // PGlite: a plain VACUUM of every table (no ANALYZE on the app's thread, see above).
    const plan: Array<{ table: string; verb: Verb }> =
      db.kind === 'pglite' || opts.all === true
        ? options.tables.map((table) => ({ table, verb: db.kind === 'pglite' ? 'VACUUM' : 'VACUUM (ANALYZE)' }))
        : await due();
    if (plan.length === 0) return [];
    const started = now();
    // One statement per verb, naming all its tables (VACUUM takes a list; it cannot run inside a
    // transaction). A query's own `query_timeout` overrides the pool's (node-postgres client.js;
    // per-query timeouts since brianc/node-postgres#3074, "allow specifying a timeout on a per query base").
    const unbounded = (text: string): QueryConfig & { query_timeout: number } => ({
      text,
      query_timeout: vacuumTimeoutMs,
    });
    const statements: Array<QueryConfig & { query_timeout: number }> = [];
    for (const verb of ['VACUUM (ANALYZE)', 'VACUUM', 'ANALYZE'] as const) {
      const tables = plan.filter((p) => p.verb === verb).map((p) => `"${p.table}"`);
      if (tables.length > 0) statements.push(unbounded(`${verb} ${tables.join(', ')}`));
    }
    if (db.pool) {
      // On a connection of its own whose server process is known, so `stop` can cancel it.
      const client = await db.pool.connect();
      const pid = (client as unknown as { processID?: number }).processID;
      if (pid !== undefined) vacuuming.add(pid);
      let broken: Error | undefined;
      try {
        await client.query(unbounded(throttle));
        for (const statement of statements) {
          if (cancelling) break;
          await client.query(statement);
        }
      } finally {
        if (pid !== undefined) vacuuming.delete(pid);
        // A connection that cannot reset its settings is not handed to anyone else.
        await client.query(unbounded('RESET vacuum_cost_delay; RESET vacuum_cost_limit')).catch((err: unknown) => {
          broken = err instanceof Error ? err : new Error(String(err));
        });
        client.release(broken);
      }
    } else for (const statement of statements) await db.prisma.$executeRawUnsafe(statement.text);
    const tables = plan.map((p) => p.table);
    options.onRound?.(tables, now() - started);
    return tables;
  }

  function tick(): void {
    if (running) return;
    running = runOnce()
      .catch((err: unknown) => {
        // The VACUUM `stop` cancelled is not a failure to report.
        if (!cancelling) options.onError?.(err);
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    async start() {
      // A database that cannot say (restarting as the app starts) gets the timer: its rounds fail
      // and are reported until it answers, and the app starts either way.
      const server = await autovacuumRuns(db).catch((err: unknown) => {
        options.onError?.(err);
        return false;
      });
      if (server) return 'autovacuum';
      if (everyMs > 0 && timer === undefined) {
        timer = setInterval(tick, everyMs);
        timer.unref();
      }
      return 'app';
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      // A shutdown does not wait hours for a first VACUUM: it is cancelled (VACUUM is safe to
      // cancel; the next start's rounds do it again) and the pool can close.
      cancelling = vacuuming.size > 0;
      try {
        for (const pid of vacuuming) {
          await db.pool?.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
        }
        await running;
      } finally {
        cancelling = false;
      }
    },
    runOnce,
  };
}
