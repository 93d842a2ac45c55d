/**
 * Order path: POST /api/orders on the simulated exchange until a socket.io client subscribed to
 * PROVIDER_ORDER_CREATE for the symbol receives the event (REST validation, idempotency lookup,
 * order row, matching, event on the bus, WebSocket). MARKET and LIMIT orders, one at a time,
 * p50/p95/p99; a bare GET /api/health round trip in the same run gives the scale of one request
 * through the same HTTP stack. Orders and health checks alternate so noise hits both alike. The
 * process CPU per round (provider and client share this process) is the steadier number on a busy machine.
 * PostgreSQL at TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test), memory bus.
 *
 * Run: npx tsx --conditions=development tools/bench/order-path.ts [orders=500]
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { createMemoryBus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { createTestDatabase } from '@barfinex/testing';
import { startProvider, TEST_TOKEN } from '@barfinex/provider/bench';

const ORDERS = Number(process.argv[2] ?? 500);
const WARMUP = 30;
const SYMBOL = 'ETHUSDT';

function percentiles(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => (s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN).toFixed(2);
  return `p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  p99 ${at(0.99)} ms  (n=${s.length})`;
}

async function main(): Promise<void> {
  const pg = await createTestDatabase('bench_orders');
  const db = await createDatabase({ url: pg.url });
  const h = await startProvider({ db, bus: createMemoryBus() });
  const client = io(h.baseUrl, {
    path: '/ws',
    auth: { token: TEST_TOKEN },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  await client.emitWithAck('subscribe', { events: ['PROVIDER_ORDER_CREATE'], symbols: [SYMBOL] });
  const waiting = new Map<string, () => void>();
  client.on('PROVIDER_ORDER_CREATE', (env: { payload: { clientOrderId: string } }) =>
    waiting.get(env.payload.clientOrderId)?.(),
  );

  const status = (await (await fetch(`${h.baseUrl}/api/connectors/sim/status`, { headers: h.auth })).json()) as {
    prices: Record<string, Record<string, string>>;
  };
  const limitPrice = (Math.round(Number(status.prices['spot']?.[SYMBOL]) * 0.5 * 100) / 100).toFixed(2);
  const headers = { ...h.auth, 'content-type': 'application/json' };

  // One order: from the request until its PROVIDER_ORDER_CREATE arrives on the socket.
  const placeOne = async (i: number, type: 'MARKET' | 'LIMIT'): Promise<number> => {
    const clientOrderId = `bench-${type}-${i}`;
    const body = {
      symbol: SYMBOL,
      connectorType: 'sim',
      marketType: 'spot',
      side: type === 'MARKET' && i % 2 === 1 ? 'SELL' : 'BUY',
      type,
      quantity: '0.01',
      clientOrderId,
      ...(type === 'LIMIT' ? { price: limitPrice } : {}),
    };
    const start = performance.now();
    const received = new Promise<void>((resolve) => waiting.set(clientOrderId, resolve));
    const res = await fetch(`${h.baseUrl}/api/orders`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${type} order answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    await received;
    waiting.delete(clientOrderId);
    return performance.now() - start;
  };
  const healthOne = async (): Promise<number> => {
    const start = performance.now();
    const res = await fetch(`${h.baseUrl}/api/health`);
    await res.arrayBuffer();
    return performance.now() - start;
  };

  const market: number[] = [];
  const limit: number[] = [];
  const health: number[] = [];
  let cpu0 = process.cpuUsage();
  for (let i = -WARMUP; i < ORDERS; i++) {
    if (i === 0) cpu0 = process.cpuUsage();
    const m = await placeOne(i + WARMUP, 'MARKET');
    const l = await placeOne(i + WARMUP, 'LIMIT');
    const hh = await healthOne();
    if (i < 0) continue;
    market.push(m);
    limit.push(l);
    health.push(hh);
  }
  console.log(
    `order path, POST /api/orders -> PROVIDER_ORDER_CREATE on a socket.io client (sim, PostgreSQL, memory bus), ${ORDERS} each:`,
  );
  console.log(`  MARKET            ${percentiles(market)}`);
  console.log(`  LIMIT (resting)   ${percentiles(limit)}`);
  console.log(`  GET /api/health   ${percentiles(health)}   (reference: one plain request)`);
  // Less sensitive to a shared machine than wall time: the provider and the client run in this process (PostgreSQL does not).
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `  process CPU per MARKET + LIMIT + health round: ${((cpu.user + cpu.system) / 1000 / ORDERS).toFixed(2)} ms`,
  );
  client.close();
  await h.stop();
  await db.close();
  await pg.drop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
