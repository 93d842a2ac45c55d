// On a real PostgreSQL: table care reads the server's own autovacuum setting, and a round's ANALYZE
// makes PostgreSQL plan a cached statement again, so a plan made while a table was small does not
// keep scanning the whole table once it has grown (what slowed the order path down on a server
// with autovacuum off).
import { createTestDatabase, describeWithPostgres, eventually, type TestDatabase } from '@barfinex/testing';
import { Client } from 'pg';
import { createDatabase, type Database } from './database';
import { autovacuumRuns, createTableCare } from './table-care';

describeWithPostgres('table care on PostgreSQL', () => {
  let testDb: TestDatabase;
  let db: Database;
  let client: Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('bfxcare');
    db = await createDatabase({ url: testDb.url, migrate: false });
    client = new Client({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.close();
    await testDb.drop();
  });

  it('leaves the tables to autovacuum exactly when the server runs it', async () => {
    const setting = await client.query<{ on: boolean }>(
      `SELECT current_setting('autovacuum') = 'on' AND current_setting('track_counts') = 'on' AS on`,
    );
    const runs = setting.rows[0]?.on === true;
    expect(await autovacuumRuns(db)).toBe(runs);
    const care = createTableCare({ db, tables: ['grown'], checkMs: 0 });
    expect(await care.start()).toBe(runs ? 'autovacuum' : 'app');
    await care.stop();
  });

  it('a round re-plans a cached statement whose table has grown: a seq scan becomes an index scan', async () => {
    await client.query(`CREATE TABLE grown (id text PRIMARY KEY, v int NOT NULL)`);
    await client.query(`INSERT INTO grown SELECT 'k' || g, g FROM generate_series(1, 10) g`);
    // Statistics of a small table: one page, ten rows.
    await client.query(`ANALYZE grown`);
    // A cached plan as the order path's named statements get one once PostgreSQL settles on it.
    await client.query(`SET plan_cache_mode = force_generic_plan`);
    const text = `SELECT v FROM grown WHERE id = ANY($1::text[])`;
    await client.query({ name: 'by_ids', text, values: [['k1', 'k2']] });
    const plan = async () =>
      (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE by_ids('{k1,k2}')`)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    expect(await plan()).toMatch(/Seq Scan on grown/);

    await client.query(`INSERT INTO grown SELECT 'k' || g, g FROM generate_series(11, 60000) g`);
    // Without an ANALYZE the plan made for ten rows stays (unless the server's autovacuum got there first).
    if (!(await autovacuumRuns(db))) expect(await plan()).toMatch(/Seq Scan on grown/);

    await createTableCare({ db, tables: ['grown'] }).runOnce({ all: true });
    expect(await plan()).toMatch(/Index (Only )?Scan using grown_pkey/);
    expect(await client.query({ name: 'by_ids', text, values: [['k59999']] })).toMatchObject({
      rows: [{ v: 59999 }],
    });
  });

  it('tends a table once its changes pass autovacuum’s thresholds, as the daemon would, and leaves it alone below', async () => {
    await client.query(`CREATE TABLE churned (id int PRIMARY KEY, v int NOT NULL)`);
    await client.query(`INSERT INTO churned SELECT g, 0 FROM generate_series(1, 1000) g`);
    // The session's counters reach the server's view when its transaction ends (not throttled now).
    const flushed = (sql: string) => client.query(sql).then(() => client.query(`SELECT pg_stat_force_next_flush()`));
    await flushed(`SELECT 1`);
    const care = createTableCare({ db, tables: ['churned', 'grown'] });
    expect(await care.runOnce({ all: true })).toEqual(['churned', 'grown']);
    // 60 of 1,000 rows changed: below 50 + 10 % (analyze) and 50 + 20 % dead (vacuum).
    await flushed(`UPDATE churned SET v = 1 WHERE id <= 60`);
    await flushed(`SELECT 1`);
    expect(await care.runOnce()).toEqual([]);
    // 300 more: past the analyze threshold.
    await flushed(`UPDATE churned SET v = 2 WHERE id > 700`);
    await flushed(`SELECT 1`);
    expect(await care.runOnce()).toEqual(['churned']);
    const stat = await client.query<{ n_dead_tup: string; n_mod_since_analyze: string }>(
      `SELECT n_dead_tup, n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'churned'`,
    );
    expect(stat.rows[0]).toMatchObject({ n_mod_since_analyze: '0' });
  });

  it('decides vacuum and analyze per table as the daemon does: an analyze alone for new rows, a vacuum alone for dead ones', async () => {
    const flushed = (sql: string) => client.query(sql).then(() => client.query(`SELECT pg_stat_force_next_flush()`));
    await client.query(`CREATE TABLE appended (id int PRIMARY KEY, v int NOT NULL)`);
    await client.query(`CREATE TABLE rewritten (id int PRIMARY KEY, v int NOT NULL)`);
    await client.query(`INSERT INTO appended SELECT g, 0 FROM generate_series(1, 1000) g`);
    await client.query(`INSERT INTO rewritten SELECT g, 0 FROM generate_series(1, 1000) g`);
    await flushed(`SELECT 1`);
    const care = createTableCare({ db, tables: ['appended', 'rewritten'] });
    await care.runOnce({ all: true });
    const marks = async () =>
      (
        await client.query<{ relname: string; vacuums: string; analyzes: string }>(
          `SELECT relname, vacuum_count AS vacuums, analyze_count AS analyzes FROM pg_stat_user_tables
            WHERE relname IN ('appended', 'rewritten') ORDER BY relname`,
        )
      ).rows;
    // 200 new rows of 1,000: past 50 + 10 % changed (analyze), short of 1,000 + 20 % inserted (vacuum).
    await flushed(`INSERT INTO appended SELECT g, 0 FROM generate_series(1001, 1200) g`);
    // 300 rows rewritten, then analyzed by someone else: 300 dead rows (past 50 + 20 %), nothing to analyze.
    await flushed(`UPDATE rewritten SET v = 1 WHERE id <= 300`);
    await flushed(`ANALYZE rewritten`);
    await flushed(`SELECT 1`);
    const before = await marks();
    expect(await care.runOnce()).toEqual(['appended', 'rewritten']);
    const after = await marks();
    const delta = after.map((a, i) => ({
      relname: a.relname,
      vacuums: Number(a.vacuums) - Number(before[i]?.vacuums),
      analyzes: Number(a.analyzes) - Number(before[i]?.analyzes),
    }));
    expect(delta).toEqual([
      { relname: 'appended', vacuums: 0, analyzes: 1 },
      { relname: 'rewritten', vacuums: 1, analyzes: 0 },
    ]);
  });

  it('keeps no statistics of the columns no query filters on, and a smaller sample of the event sink (ANALYZE reads less)', async () => {
    const migrated = await createTestDatabase('bfxstats');
    const full = await createDatabase({ url: migrated.url });
    try {
      const targets = await full.pool!.query<{ col: string; target: number }>(
        `SELECT c.relname || '.' || a.attname AS col, a.attstattarget AS target
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          WHERE (c.relname IN ('sink_events', 'sim_state_parts') AND a.attname IN ('payload', 'event_id', 'value', 'category', 'symbol', 'timestamp', 'causation_id'))
             OR (c.relname = 'orders' AND a.attname IN ('status', 'symbol', 'created_at', 'client_order_id', 'price', 'raw'))
             OR (c.relname = 'fills' AND a.attname IN ('order_id', 'price'))
          ORDER BY 1`,
      );
      // -1: the default target; 0: no statistics for the column; 20: a sample of 6,000 rows.
      expect(targets.rows).toEqual([
        { col: 'fills.order_id', target: -1 },
        { col: 'fills.price', target: 0 },
        { col: 'orders.client_order_id', target: 0 },
        { col: 'orders.created_at', target: -1 },
        { col: 'orders.price', target: 0 },
        { col: 'orders.raw', target: 0 },
        { col: 'orders.status', target: -1 },
        { col: 'orders.symbol', target: -1 },
        { col: 'sim_state_parts.value', target: 0 },
        { col: 'sink_events.category', target: 20 },
        { col: 'sink_events.causation_id', target: 0 },
        { col: 'sink_events.event_id', target: 0 },
        { col: 'sink_events.payload', target: 0 },
        { col: 'sink_events.symbol', target: 20 },
        { col: 'sink_events.timestamp', target: 20 },
      ]);
      // A sink where one symbol is rare: after ANALYZE (its sample now 6,000 rows), the event log's
      // page of that symbol still goes through the (symbol, timestamp) index, and a correlation's
      // lineage through its own, as with the default targets.
      await full.pool!.query(
        `INSERT INTO sink_events (event_id, type, category, action, source, symbol, "timestamp", correlation_id, payload)
         SELECT 'e' || i, 'PROVIDER_ORDER_CREATE', 'order', 'create', 'provider',
                CASE WHEN i % 1000 = 0 THEN 'RAREUSDT' ELSE 'BTCUSDT' END, i, 'c' || (i / 4), '{}'::jsonb
           FROM generate_series(1, 40000) AS i`,
      );
      await full.pool!.query(`ANALYZE sink_events`);
      const plan = async (sql: string): Promise<string> =>
        (await full.pool!.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      expect(
        await plan(`SELECT id FROM sink_events WHERE symbol = 'RAREUSDT' ORDER BY "timestamp" DESC, id DESC LIMIT 50`),
      ).toContain('sink_events_symbol_timestamp_idx');
      expect(await plan(`SELECT id FROM sink_events WHERE correlation_id = 'c77'`)).toContain(
        'sink_events_correlation_id_idx',
      );
    } finally {
      await full.close();
      await migrated.drop();
    }
  });

  it('lets a VACUUM that outlasts the pool’s query timeout finish: the round waits for it and succeeds', async () => {
    // A pool whose requests time out after 1 ms, and a VACUUM held up by a lock another session
    // keeps: as the first VACUUM of a table nothing ever vacuumed, it outlasts that timeout.
    const strict = await createDatabase({ url: testDb.url, migrate: false, queryTimeoutMs: 1 });
    await client.query(`CREATE TABLE held (id int PRIMARY KEY)`);
    const holder = new Client({ connectionString: testDb.url });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE held IN SHARE UPDATE EXCLUSIVE MODE`);
      let outcome: 'pending' | 'done' | Error = 'pending';
      const round = createTableCare({ db: strict, tables: ['held'] })
        .runOnce({ all: true })
        .then(
          (tables) => {
            outcome = 'done';
            return tables;
          },
          (err: Error) => {
            outcome = err;
            throw err;
          },
        );
      await eventually(async () => {
        const waiting = await client.query(
          `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'VACUUM (ANALYZE) "held"%' AND wait_event_type = 'Lock'`,
        );
        expect(waiting.rowCount).toBe(1);
      });
      // Well past the pool's 1 ms by now; the round still waits for its VACUUM.
      expect(outcome).toBe('pending');
      await holder.query(`COMMIT`);
      expect(await round).toEqual(['held']);
    } finally {
      await holder.end();
      await strict.close();
    }
  });

  it('throttles its rounds as autovacuum does (the VACUUM sleeps in VacuumDelay), and hands its connection back reset', async () => {
    // One connection, so the round's connection is the one checked afterwards.
    const single = await createDatabase({ url: testDb.url, migrate: false, poolSize: 1 });
    await client.query(`CREATE TABLE throttled (id int PRIMARY KEY, pad text)`);
    await client.query(`INSERT INTO throttled SELECT i, repeat('x', 200) FROM generate_series(1, 2000) AS i`);
    await client.query(`DELETE FROM throttled WHERE id % 2 = 0`);
    try {
      // A sleep of 10 ms after every page (about 60 of them): the VACUUM spends nearly all its time in VacuumDelay.
      const care = createTableCare({ db: single, tables: ['throttled'], costDelayMs: 10, costLimit: 1 });
      const round = care.runOnce({ all: true });
      await eventually(async () => {
        const sleeping = await client.query(
          `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'VACUUM (ANALYZE) "throttled"%' AND wait_event = 'VacuumDelay'`,
        );
        expect(sleeping.rowCount).toBe(1);
      });
      expect(await round).toEqual(['throttled']);
      const settings = await single.pool!.query<{ delay: string; limit: string }>(
        `SELECT current_setting('vacuum_cost_delay') AS delay, current_setting('vacuum_cost_limit') AS limit`,
      );
      const defaults = await client.query<{ delay: string; limit: string }>(
        `SELECT current_setting('vacuum_cost_delay') AS delay, current_setting('vacuum_cost_limit') AS limit`,
      );
      expect(settings.rows).toEqual(defaults.rows);
    } finally {
      await single.close();
    }
  });

  it('cancels a VACUUM in progress when it stops, so a shutdown does not wait for it', async () => {
    await client.query(`CREATE TABLE stuck (id int PRIMARY KEY)`);
    const holder = new Client({ connectionString: testDb.url });
    await holder.connect();
    const vacuumOf = () =>
      client.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'VACUUM (ANALYZE) "stuck"%' AND state = 'active'`);
    try {
      await holder.query(`BEGIN; LOCK TABLE stuck IN SHARE UPDATE EXCLUSIVE MODE`);
      const care = createTableCare({ db, tables: ['stuck'] });
      const round = care.runOnce({ all: true });
      await eventually(async () => expect((await vacuumOf()).rowCount).toBe(1));
      await care.stop();
      await expect(round).rejects.toThrow(/canceling statement due to user request/);
      expect((await vacuumOf()).rowCount).toBe(0);
    } finally {
      await holder.query(`ROLLBACK`);
      await holder.end();
    }
  });
});
