/**
 * Replay throughput: how close does a max-speed replay of stored market data come to publishing
 * the same envelopes straight onto the bus?
 *
 *   1. raw:    `bus.publishEnvelope` of N prebuilt replay envelopes (already in memory), a yield
 *              every 1,000; timed until a subscriber has received all N;
 *   2. replay: `POST /api/replay/start {speed: 'max'}`'s service over the same N events stored in
 *              the event sink: keyset pages read from the database (prefetching the next page),
 *              envelopes rebuilt and marked replay, published; timed the same way.
 * Both on one bus and one database in one run, rounds alternating. Prints events/s and the ratio
 * (target ≥ 0.25×). The in-memory bus by default; NATS_URL=nats://… measures on NATS instead.
 * DATABASE_URL picks the store (default an embedded PGlite in memory).
 *
 * Run: npx tsx tools/bench/replay.ts [events=50000] [rounds=3]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const CONDITION = '--conditions=development';
if (!process.execArgv.includes(CONDITION)) {
  const r = spawnSync(process.execPath, [...process.execArgv, CONDITION, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const T0 = Date.UTC(2026, 0, 5);
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function untilReceived(count: () => number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (count() < N) {
    if (Date.now() > deadline) throw new Error(`only ${count()} of ${N} events arrived`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function main(): Promise<void> {
  const { createMemoryBus, createNatsBus } = await import('@barfinex/bus');
  const { createDatabase } = await import('@barfinex/db');
  const { createEnvelope } = await import('@barfinex/events');
  const { createEventSinkRepository, toSinkRow } = await import('@barfinex/provider/bench');
  const { createReplayService, replayEnvelope } = await import('@barfinex/provider/bench');

  const natsUrl = process.env['NATS_URL'];
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const bus = natsUrl
    ? await createNatsBus({ servers: natsUrl, subjectPrefix: `bfxbench.${id}`, streamName: `BFXBENCH_${id}` })
    : createMemoryBus();
  const db = await createDatabase({ url: process.env['DATABASE_URL'] ?? 'pglite:memory' });
  const repo = createEventSinkRepository(db.prisma);

  // The stored session: trades over four symbols, 10 ms apart.
  const rows = Array.from({ length: N }, (_, i) => {
    const symbol = SYMBOLS[i % SYMBOLS.length] ?? 'BTCUSDT';
    const env = createEnvelope(
      'PROVIDER_MARKETDATA_TRADE',
      {
        time: T0 + i * 10,
        symbol,
        price: `${60_000 + (i % 700)}.25`,
        volume: '0.0015',
        side: i % 2 ? 'LONG' : 'SHORT',
      },
      { timestamp: T0 + i * 10, eventId: `bench-${id}-${i}`, connectorType: 'sim', marketType: 'spot' },
    );
    return toSinkRow(env);
  });
  for (let i = 0; i < rows.length; i += 2_000) await repo.insert(rows.slice(i, i + 2_000));
  const stored = await repo.after({}, { timestamp: -1, id: 0 }, N);
  const envelopes = stored.map(replayEnvelope);

  let received = 0;
  const sub = await bus.subscribe('PROVIDER_MARKETDATA_TRADE', () => {
    received += 1;
  });

  const raw = async (): Promise<number> => {
    received = 0;
    const start = performance.now();
    let batch: Array<Promise<void>> = [];
    for (const env of envelopes) {
      batch.push(bus.publishEnvelope(env));
      if (batch.length === 1_000) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);
    await untilReceived(() => received, 120_000);
    return N / ((performance.now() - start) / 1000);
  };

  const replay = async (): Promise<number> => {
    received = 0;
    const service = createReplayService({ repo, bus });
    const start = performance.now();
    await service.start({ from: 0, to: T0 + N * 10, speed: 'max' });
    await service.idle();
    await untilReceived(() => received, 120_000);
    const status = service.status();
    if (status.state !== 'finished' || status.eventsSent !== N)
      throw new Error(`replay ended ${status.state} after ${status.eventsSent} events`);
    return N / ((performance.now() - start) / 1000);
  };

  await raw();
  await replay();
  const results = { raw: [] as number[], replay: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    results.raw.push(await raw());
    results.replay.push(await replay());
  }
  const fmt = (v: number): string => `${Math.round(v).toLocaleString('en-US')} events/s`;
  const rawRate = median(results.raw);
  const replayRate = median(results.replay);
  console.log(
    `replay throughput, ${N.toLocaleString('en-US')} stored trades x ${ROUNDS} alternating rounds, bus ${natsUrl ?? 'in-memory'}, store ${db.kind}`,
  );
  console.log(`  raw publishEnvelope    median ${fmt(rawRate)}`);
  console.log(`  replay at speed max    median ${fmt(replayRate)}`);
  console.log(`  replay / raw = ${(replayRate / rawRate).toFixed(2)}x (target >= 0.25x)`);

  await sub.unsubscribe();
  await bus.close();
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
