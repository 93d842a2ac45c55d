/**
 * Integrations, both ways.
 * 1. Outbound: signed webhook deliveries per second from the notifier (bus event -> stored delivery
 *    -> signed POST -> delivery recorded, per subscription in order) to a local receiver in its own
 *    process, vs a plain HTTP POST loop (keep-alive, one at a time) of the same body to the same
 *    receiver, in alternating rounds of the same run. Notifier on PostgreSQL, memory bus.
 * 2. Inbound: a TradingView-format alert posted to a hook until its order is placed
 *    (PROVIDER_ORDER_CREATE of the MARKET entry on a socket.io client): hook -> signal -> advisor
 *    decision -> inspector risk gate -> order, provider + advisor + inspector in this process,
 *    PostgreSQL, memory bus; p50/p99.
 *
 * Run: npx tsx --conditions=development tools/bench/webhooks.ts [deliveries=2000] [alerts=100] [rounds=5]
 * (alerts=0 runs the outbound part only)
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { io } from 'socket.io-client';
import { createAdvisorApp, loadAdvisorConfig } from '@barfinex/advisor';
import { createMemoryBus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { EVENT_EXAMPLES, createEnvelope } from '@barfinex/events';
import { createInspectorApp, loadInspectorConfig } from '@barfinex/inspector';
import { createNotifierApp, loadNotifierConfig } from '@barfinex/notifier';
import { TEST_TOKEN, startProvider } from '@barfinex/provider/bench';
import { createProviderClient } from '@barfinex/sdk';
import { createTestDatabase, freePort } from '@barfinex/testing';

const DELIVERIES = Number(process.argv[2] ?? 2000);
const ALERTS = Number(process.argv[3] ?? 100);
const ROUNDS = Number(process.argv[4] ?? 5);
const silent = pino({ level: 'silent' });

const RECEIVER = `
const http = require('node:http');
let count = 0;
let waiting = [];
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    // GET /wait/<n> answers once <n> requests have arrived, so the bench waits without polling.
    const n = Number(req.url.split('/').pop());
    if (req.url.startsWith('/wait/') && count < n) { waiting.push({ n, res }); return; }
    res.end(String(count));
    return;
  }
  req.resume();
  req.on('end', () => {
    count++;
    res.writeHead(204).end();
    if (waiting.length > 0) {
      for (const w of waiting) if (count >= w.n) w.res.end(String(count));
      waiting = waiting.filter((w) => count < w.n);
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function startReceiverProcess(): Promise<{
  url: string;
  count: () => Promise<number>;
  waitFor: (n: number) => Promise<void>;
  stop: () => void;
}> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const url = `http://127.0.0.1:${port}/hook`;
  return {
    url,
    count: async () => Number(await (await fetch(url)).text()),
    waitFor: async (n) => void (await (await fetch(`http://127.0.0.1:${port}/wait/${n}`)).text()),
    stop: () => child.kill(),
  };
}

/** This process's CPU (user + system) while `run` runs, per item, in microseconds. */
async function withCpu<T>(n: number, run: () => Promise<T>): Promise<{ result: T; cpuUs: number }> {
  const c0 = process.cpuUsage();
  const result = await run();
  const c = process.cpuUsage(c0);
  return { result, cpuUs: (c.user + c.system) / n };
}

function plainLoop(url: string, body: string, n: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return (async () => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await post();
    const elapsed = performance.now() - t0;
    agent.destroy();
    return n / (elapsed / 1000);
  })();
}

const percentiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => (s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN).toFixed(1);
  return `p50 ${at(0.5)} ms  p99 ${at(0.99)} ms  (n=${s.length})`;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function outbound(): Promise<void> {
  const receiver = await startReceiverProcess();
  const pg = await createTestDatabase('bench_webhooks');
  const db = await createDatabase({ url: pg.url });
  const bus = createMemoryBus();
  const token = 'bench-notifier';
  const config = loadNotifierConfig({
    NOTIFIER_PORT: '0',
    NOTIFIER_HOST: '127.0.0.1',
    NOTIFIER_API_TOKEN: token,
    NOTIFIER_POLL_MS: '1s',
  });
  const notifier = await createNotifierApp({
    config,
    logger: silent,
    bus,
    db,
    provider: createProviderClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 }),
  });
  const { url } = await notifier.start();
  await fetch(`${url}/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, events: ['PROVIDER_ORDER_FILL'] }),
  });
  const body = JSON.stringify(
    createEnvelope('PROVIDER_ORDER_FILL', EVENT_EXAMPLES.PROVIDER_ORDER_FILL, { correlationId: 'bench' }),
  );

  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const webhookId =
    ((await (await fetch(`${url}/webhooks`, { headers: auth })).json()) as { items: { id: string }[] }).items[0]?.id ??
    '';
  const received = (n: number) => receiver.waitFor(n);
  const publishAll = async (n = DELIVERIES) => {
    for (let i = 0; i < n; i++)
      await bus.publish('PROVIDER_ORDER_FILL', EVENT_EXAMPLES.PROVIDER_ORDER_FILL, { correlationId: 'bench' });
  };
  const pending = async () =>
    (
      (await (
        await fetch(`${url}/webhooks/${webhookId}/deliveries?status=pending&limit=1`, { headers: auth })
      ).json()) as { total: number }
    ).total;
  /** Delivery stage: a stored backlog of DELIVERIES, drained once the subscription is resumed (sign, POST, record). */
  const drain = async (n = DELIVERIES): Promise<{ stored: number; delivered: number; cpuUs: number }> => {
    const start = await receiver.count();
    await fetch(`${url}/webhooks/${webhookId}/pause`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ reason: 'bench' }),
    });
    const t0 = performance.now();
    await publishAll(n);
    while ((await pending()) < n) await new Promise((r) => setTimeout(r, 20));
    const stored = n / ((performance.now() - t0) / 1000);
    const t1 = performance.now();
    const { cpuUs } = await withCpu(n, async () => {
      await fetch(`${url}/webhooks/${webhookId}/resume`, { method: 'POST', headers: auth });
      await received(start + n);
    });
    return { stored, delivered: n / ((performance.now() - t1) / 1000), cpuUs };
  };
  /** End to end: events published and delivered as they come (intake and delivery overlap). */
  const flowing = async (): Promise<number> => {
    const start = await receiver.count();
    const t0 = performance.now();
    await publishAll();
    await received(start + DELIVERIES);
    return DELIVERIES / ((performance.now() - t0) / 1000);
  };
  // Both paths warmed up (JIT, connections, the database's caches) before anything is measured.
  await plainLoop(receiver.url, body, 500);
  await drain(500);
  const plainRates: number[] = [];
  const drained: number[] = [];
  const stored: number[] = [];
  const endToEnd: number[] = [];
  const pairRatios: number[] = [];
  const plainCpu: number[] = [];
  const drainCpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const plain = await withCpu(DELIVERIES, () => plainLoop(receiver.url, body, DELIVERIES));
    plainRates.push(plain.result);
    plainCpu.push(plain.cpuUs);
    const d = await drain();
    drainCpu.push(d.cpuUs);
    pairRatios.push(d.delivered / plain.result);
    drained.push(d.delivered);
    stored.push(d.stored);
    endToEnd.push(await flowing());
  }
  const p = median(plainRates);
  const rate = (xs: number[]) => `${xs.map((x) => x.toFixed(0)).join(' / ')} (median ${median(xs).toFixed(0)})`;
  console.log(
    `outbound: ${DELIVERIES} deliveries per round, ${ROUNDS} alternating rounds, receiver in its own process, notifier on PostgreSQL`,
  );
  console.log(`  plain POST loop                     ${rate(plainRates)} req/s`);
  console.log(
    `  signed deliveries, stored backlog   ${rate(drained)} /s  = ${(median(drained) / p).toFixed(2)}x  (sign, POST, record)`,
  );
  console.log(
    `    per round, signed / the plain loop just before: ${pairRatios.map((x) => x.toFixed(2)).join(' / ')} (median ${median(pairRatios).toFixed(2)}x)`,
  );
  console.log(
    `    CPU of this process per request: plain ${median(plainCpu).toFixed(0)} µs, signed delivery ${median(drainCpu).toFixed(0)} µs (median; read, sign, POST, record)`,
  );
  console.log(
    `  events stored by the intake         ${rate(stored)} /s  (bus -> one committed row per event before the ack)`,
  );
  console.log(`  end to end, events as they come    ${rate(endToEnd)} /s  = ${(median(endToEnd) / p).toFixed(2)}x`);
  await notifier.stop();
  await bus.close();
  await db.close();
  await pg.drop();
  receiver.stop();
}

async function inbound(): Promise<void> {
  const pg = await createTestDatabase('bench_hooks');
  const db = await createDatabase({ url: pg.url });
  const bus = createMemoryBus();
  const h = await startProvider({ db, bus });
  const client = (token: string) => createProviderClient({ baseUrl: h.baseUrl, token, timeoutMs: 10_000 });
  const sdk = client(TEST_TOKEN);
  await sdk.sim.pause();
  await sdk.sim.path({
    symbol: 'BTCUSDT',
    marketType: 'futures',
    prices: Array.from({ length: 20 }, (_, i) => String(60000 + i * 5)),
    intervalMs: 60_000,
  });
  await sdk.sim.step(20 * 60_000);
  const env = {
    PROVIDER_URL: h.baseUrl,
    PROVIDER_API_TOKEN: TEST_TOKEN,
    ADVISOR_PORT: '0',
    ADVISOR_HOST: '127.0.0.1',
    ADVISOR_API_TOKEN: 'adv',
    INSPECTOR_PORT: String(await freePort()),
    INSPECTOR_HOST: '127.0.0.1',
    INSPECTOR_API_TOKEN: 'insp',
    INSPECTOR_RECONCILE_MS: '1h',
  };
  // The test provider's simulator keeps its own clock (2026-01-05 plus the steps above); the advisor reads its bars on that clock.
  const simNow = () => Date.UTC(2026, 0, 5) + 21 * 60_000;
  const advisor = await createAdvisorApp({
    config: loadAdvisorConfig(env),
    logger: silent,
    bus,
    db,
    provider: client(TEST_TOKEN),
    now: simNow,
  });
  const advisorUrl = (await advisor.start()).url;
  const inspector = await createInspectorApp({
    config: loadInspectorConfig(env),
    logger: silent,
    bus,
    db,
    provider: client(TEST_TOKEN),
    now: simNow,
  });
  const inspectorUrl = (await inspector.start()).url;
  const put = (u: string, tok: string, b: unknown) =>
    fetch(u, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: JSON.stringify(b),
    });
  await put(`${advisorUrl}/pipeline/config`, 'adv', {
    dataQuality: {
      minCandles: 5,
      maxMissingBars: 10_000,
      maxStalenessMs: 86_400_000 * 365,
      requireOrderBook: false,
      maxSpreadPct: '5',
    },
    scoring: { fastPeriod: 2, slowPeriod: 3, rsiPeriod: 2, atrPeriod: 2, maxAtrPct: 100 },
    conviction: { minConfidence: 0 },
    execution: { maxSpreadPct: '5', minRiskReward: '0.5' },
    throttle: { cooldownMs: 0, dedupWindowMs: 0 },
    intent: { quantity: '0.001', ttlMs: 600_000 },
  });
  await put(`${inspectorUrl}/policies`, 'insp', {
    maxPositionPercent: '100',
    maxExposurePercent: '1000',
    cooldownMs: 0,
    maxTradesPerDay: 0,
  });
  const hook = (await (
    await fetch(`${h.baseUrl}/api/inbound-hooks`, {
      method: 'POST',
      headers: { ...h.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', ratePerMinute: 600 }),
    })
  ).json()) as { id: string; secret: string };

  const socket = io(h.baseUrl, {
    path: '/ws',
    auth: { token: TEST_TOKEN },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await socket.emitWithAck('subscribe', {
    events: ['PROVIDER_ORDER_CREATE', 'INSPECTOR_RISK_LIMIT_BREACH', 'ADVISOR_DECISION_RESPONSE'],
  });
  const waiting = new Map<string, (outcome: string) => void>();
  socket.on(
    'PROVIDER_ORDER_CREATE',
    (e: { correlationId?: string; payload: { type: string } }) =>
      e.payload.type === 'MARKET' && waiting.get(e.correlationId ?? '')?.('order'),
  );
  socket.on('INSPECTOR_RISK_LIMIT_BREACH', (e: { correlationId?: string; payload: { reason: string } }) =>
    waiting.get(e.correlationId ?? '')?.(`blocked: ${e.payload.reason}`),
  );
  socket.on(
    'ADVISOR_DECISION_RESPONSE',
    (e: { correlationId?: string; payload: { approved: boolean; reasoning: string } }) =>
      !e.payload.approved && waiting.get(e.correlationId ?? '')?.(`rejected: ${e.payload.reasoning}`),
  );

  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  for (let i = 0; i < ALERTS + 10; i++) {
    const price = 60095;
    const alert = JSON.stringify({
      secret: hook.secret,
      ticker: 'BTCUSDT',
      action: 'buy',
      price: String(price),
      stop: String(price - 300),
      target: String(price + 600),
      id: `bench-${i}`,
    });
    const t0 = performance.now();
    const res = (await (
      await fetch(`${h.baseUrl}/api/hooks/${hook.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: alert,
      })
    ).json()) as { correlationId: string };
    const outcome = await new Promise<string>((resolve) => waiting.set(res.correlationId, resolve));
    waiting.delete(res.correlationId);
    if (i < 10) continue;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (outcome === 'order') latencies.push(performance.now() - t0);
  }
  console.log(
    `inbound: TradingView-format alert -> hook -> signal -> advisor -> inspector -> order placed (PROVIDER_ORDER_CREATE on socket.io), ${ALERTS} alerts one at a time`,
  );
  console.log(`  ${percentiles(latencies)}  outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
  socket.close();
  await inspector.stop();
  await advisor.stop();
  await h.stop();
  await bus.close();
  await db.close();
  await pg.drop();
}

async function main(): Promise<void> {
  await outbound();
  if (ALERTS > 0) await inbound();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
