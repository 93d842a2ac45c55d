import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { errorMiddleware } from '@barfinex/service-kit';
import { createConnectorRegistry } from '../../connectors/connector-registry';
import type { ExchangeConnector } from '../../connectors/connector';
import { createTypedRouter } from '../../http/typed-router';
import { registerCandleRoutes } from './candles.routes';

const MINUTE = 60_000;
const LAST = Date.UTC(2026, 0, 5, 12);
const reads: Array<{ from: number; to: number; limit: number }> = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const t = createTypedRouter();
  registerCandleRoutes(t, {
    maxRows: 10,
    connectors: createConnectorRegistry([{ type: 'sim', markets: ['spot'] } as unknown as ExchangeConnector]),
    candles: {
      lastOpenTime: async () => LAST,
      writeRangeJson: async (_series, from, to, limit, write) => {
        reads.push({ from, to, limit });
        const times: number[] = [];
        // Bars are stored up to LAST, a minute apart.
        for (let time = from; time <= Math.min(to, LAST) && times.length < limit; time += MINUTE) times.push(time);
        write(JSON.stringify(times.map((time) => ({ time }))));
      },
    },
  });
  const app = express();
  app.use('/api', t.router);
  app.use(errorMiddleware({ logger: pino({ level: 'silent' }) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/candles/sim/spot/BTCUSDT`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('GET /api/candles range cap', () => {
  it('keeps the newest bars of a range longer than the cap and says where it starts', async () => {
    const res = await fetch(`${base}/min1?days=1`);
    expect(res.status).toBe(200);
    const bars = (await res.json()) as Array<{ time: number }>;
    expect(bars.map((b) => b.time)).toEqual(Array.from({ length: 10 }, (_, i) => LAST - (9 - i) * MINUTE));
    expect(res.headers.get('x-candles-truncated')).toBe('true');
    expect(res.headers.get('x-candles-from')).toBe(String(LAST - 9 * MINUTE));
  });
  it('counts the window back from the newest stored bar when `to` lies far past it', async () => {
    reads.length = 0;
    const res = await fetch(`${base}/min1?from=0&to=${LAST + 365 * 24 * 60 * MINUTE}`);
    const bars = (await res.json()) as Array<{ time: number }>;
    expect(bars.map((b) => b.time)).toEqual(Array.from({ length: 10 }, (_, i) => LAST - (9 - i) * MINUTE));
    expect(res.headers.get('x-candles-from')).toBe(String(LAST - 9 * MINUTE));
  });
  it('does not call a range truncated when its stored bars fit the cap', async () => {
    const res = await fetch(`${base}/min1?from=${LAST - 5 * MINUTE}&to=${LAST + 365 * 24 * 60 * MINUTE}`);
    expect(((await res.json()) as unknown[]).length).toBe(6);
    expect(res.headers.get('x-candles-truncated')).toBeNull();
  });
  it('leaves a range within the cap alone', async () => {
    reads.length = 0;
    const res = await fetch(`${base}/min1?from=${LAST - 5 * MINUTE}`);
    expect(((await res.json()) as unknown[]).length).toBe(6);
    expect(res.headers.get('x-candles-truncated')).toBeNull();
    expect(reads).toEqual([{ from: LAST - 5 * MINUTE, to: LAST, limit: 10 }]);
  });
});
