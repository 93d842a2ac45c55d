/**
 * Bus throughput: what does @barfinex/bus cost on top of the raw nats.js client?
 *
 * Measures publish→receive throughput (msgs/s, end to end, one process, loopback NATS) for:
 *   1. raw:   nats.js `publish` of the JSON envelope, subscriber callback `JSON.parse`s it;
 *   2. bus:   `createNatsBus().publish(PROVIDER_MARKETDATA_TRADE, payload)`: payload validated and
 *             normalised, envelope built, subject derived (symbol + virtual partition); the
 *             subscriber gets it validated again (structure, source, payload) before its handler.
 * Same message count, same payload (a trade over 10 symbols), same wire shape, same publishing
 * pattern (no await per message, a yield every 1,000), runs alternating raw/bus to spread noise.
 * Prints the median of each and bus/raw (target ≥ 0.7×). Also the in-memory bus, for reference.
 * Wall-clock msgs/s is what the target is about; it swings when other processes share the CPU,
 * so the client's CPU time per message (process.cpuUsage, excludes nats-server) is printed too.
 *
 * Results and what limits them: libs/bus/README.md ("Benchmark"). In short, the bus's own work
 * costs ~4 % (0.96x with validation stubbed out); zod + decimal.js validation on both ends is the rest.
 *
 * Run: npx tsx tools/bench/bus.ts [messages=100000] [rounds=5]   (NATS_URL, default nats://127.0.0.1:4222)
 * It re-executes itself with --conditions=development so the libs' TypeScript sources are measured.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

const CONDITION = '--conditions=development';
if (!process.execArgv.includes(CONDITION)) {
  const r = spawnSync(process.execPath, [...process.execArgv, CONDITION, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const BATCH = 1_000;
const servers = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const EVENT = 'PROVIDER_MARKETDATA_TRADE' as const;
const SYMBOLS = [
  'BTCUSDT',
  'ETHUSDT',
  'SOLUSDT',
  'BNBUSDT',
  'XRPUSDT',
  'ADAUSDT',
  'DOGEUSDT',
  'TRXUSDT',
  'DOTUSDT',
  'LTCUSDT',
];

function payload(i: number) {
  return {
    time: 1_717_200_000_000 + i,
    symbol: SYMBOLS[i % SYMBOLS.length] ?? 'BTCUSDT',
    price: '65000.5',
    volume: '0.002',
    side: 'LONG' as const,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Sample {
  wall: number;
  cpu: number;
}

function measure(start: { wall: number; cpu: NodeJS.CpuUsage }): Sample {
  const wallMs = performance.now() - start.wall;
  const cpu = process.cpuUsage(start.cpu);
  return { wall: N / (wallMs / 1000), cpu: N / ((cpu.user + cpu.system) / 1e6) };
}

function begin(): { wall: number; cpu: NodeJS.CpuUsage } {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

async function untilReceived(count: () => number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (count() < N) {
    if (Date.now() > deadline) throw new Error(`only ${count()} of ${N} messages arrived`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function main(): Promise<void> {
  const { connect } = await import('nats');
  const { createMemoryBus, createNatsBus, eventSubject } = await import('@barfinex/bus');
  type Bus = Awaited<ReturnType<typeof createNatsBus>>;

  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const prefix = `bfxbench.${id}`;
  const streamName = `BFXBENCH_${id}`;
  const errors: string[] = [];
  const nc = await connect({ servers });
  const bus = await createNatsBus({
    servers,
    subjectPrefix: prefix,
    streamName,
    onError: (err) => errors.push(err.message),
  });
  const memory = createMemoryBus({ onError: (err) => errors.push(err.message) });

  const raw = async (): Promise<Sample> => {
    let received = 0;
    const sub = nc.subscribe(`${prefix}.ev.${EVENT}.>`, {
      callback: (_err, msg) => {
        JSON.parse(msg.string());
        received += 1;
      },
    });
    await nc.flush();
    const subjects = SYMBOLS.map((s) => eventSubject(EVENT, s, prefix));
    const start = begin();
    for (let i = 0; i < N; i += 1) {
      const p = payload(i);
      const env = {
        eventId: randomUUID(),
        type: EVENT,
        source: 'PROVIDER',
        timestamp: Date.now(),
        version: 1,
        symbol: p.symbol,
        payload: p,
      };
      nc.publish(subjects[i % subjects.length] ?? '', JSON.stringify(env));
      if ((i + 1) % BATCH === 0) await Promise.resolve();
    }
    await untilReceived(() => received, 60_000);
    const sample = measure(start);
    sub.unsubscribe();
    return sample;
  };

  const viaBus = async (target: Bus): Promise<Sample> => {
    let received = 0;
    const sub = await target.subscribe(EVENT, () => {
      received += 1;
    });
    const start = begin();
    let batch: Array<Promise<unknown>> = [];
    for (let i = 0; i < N; i += 1) {
      batch.push(target.publish(EVENT, payload(i)));
      if (batch.length === BATCH) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);
    await untilReceived(() => received, 60_000);
    const sample = measure(start);
    await sub.unsubscribe();
    return sample;
  };

  // Warm-up: JIT, schema caches, subject cache.
  await raw();
  await viaBus(bus);
  const results = { raw: [] as Sample[], bus: [] as Sample[], memory: [] as Sample[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    results.raw.push(await raw());
    results.bus.push(await viaBus(bus));
    results.memory.push(await viaBus(memory));
  }

  const fmt = (v: number): string => `${Math.round(v).toLocaleString('en-US')} msg/s`;
  const wall = (xs: Sample[]): number => median(xs.map((x) => x.wall));
  const cpu = (xs: Sample[]): number => median(xs.map((x) => x.cpu));
  console.log(`bus throughput, ${N.toLocaleString('en-US')} messages x ${ROUNDS} alternating rounds, ${servers}`);
  console.log(`  raw nats.js   wall median ${fmt(wall(results.raw))}   per client CPU-second ${fmt(cpu(results.raw))}`);
  console.log(`                runs: ${results.raw.map((x) => fmt(x.wall)).join(', ')}`);
  console.log(`  NATS bus      wall median ${fmt(wall(results.bus))}   per client CPU-second ${fmt(cpu(results.bus))}`);
  console.log(`                runs: ${results.bus.map((x) => fmt(x.wall)).join(', ')}`);
  console.log(
    `  memory bus    wall median ${fmt(wall(results.memory))}   per client CPU-second ${fmt(cpu(results.memory))}`,
  );
  console.log(
    `  ratio bus/raw wall ${(wall(results.bus) / wall(results.raw)).toFixed(2)}x   CPU ${(cpu(results.bus) / cpu(results.raw)).toFixed(2)}x   (target >= 0.70x)`,
  );
  if (errors.length > 0) console.log(`  bus reported ${errors.length} errors, first: ${errors[0]}`);

  await bus.close();
  await memory.close();
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(streamName).catch(() => undefined);
  await nc.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
