import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { errorMiddleware } from '@barfinex/service-kit';
import { createConnectorRegistry } from '../../connectors/connector-registry';
import type { ExchangeConnector } from '../../connectors/connector';
import { createTypedRouter } from '../../http/typed-router';
import type { MarketDataHub } from '../market-data/market-data.hub';
import { registerMarketRoutes } from './market.routes';

const LISTED = new Set(['BTCUSDT', 'ETHUSDT']);
let streamed: string[] = ['BTCUSDT'];
let server: Server;
let base: string;

const connector = {
  type: 'sim',
  markets: ['spot'],
  status: () => 'ACTIVE',
  instruments: () => [...LISTED].map((symbol) => ({ symbol })),
  instrument: (_market: string, symbol: string) => (LISTED.has(symbol) ? { symbol } : undefined),
  subscriptions: () => ({ symbols: [...streamed] }),
  setSubscriptions: async (_market: string, symbols: string[]) => {
    streamed = symbols;
  },
} as unknown as ExchangeConnector;

beforeAll(async () => {
  const t = createTypedRouter();
  registerMarketRoutes(t, {
    connectors: createConnectorRegistry([connector]),
    marketData: { intervals: () => ['min1'] } as unknown as MarketDataHub,
    now: () => 0,
  });
  const app = express();
  app.use(express.json());
  app.use('/api', t.router);
  app.use(errorMiddleware({ logger: pino({ level: 'silent' }) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/connectors/subscribes/update`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const update = async (body: unknown) => {
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      error?: { code: string; message: string; details?: { issues: unknown[]; unknown?: string[] } };
    } & Record<string, unknown>,
  };
};

describe('POST /api/connectors/subscribes/update', () => {
  it('replaces the streamed symbols of a configured market', async () => {
    const res = await update({ connectorType: 'sim', marketType: 'spot', symbols: ['ETHUSDT', 'BTCUSDT', 'ETHUSDT'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connectorType: 'sim', marketType: 'spot', symbols: ['ETHUSDT', 'BTCUSDT'] });
  });

  it('answers an unknown symbol in the body with 400 naming it, and changes nothing', async () => {
    streamed = ['BTCUSDT'];
    const res = await update({ connectorType: 'sim', marketType: 'spot', symbols: ['BTCUSDT', 'NOPEUSDT', 'ZZZUSDT'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('NOPEUSDT, ZZZUSDT'),
    });
    expect(res.body.error?.details).toEqual({
      issues: [
        { path: 'symbols.1', message: 'unknown symbol NOPEUSDT', code: 'UNKNOWN_SYMBOL' },
        { path: 'symbols.2', message: 'unknown symbol ZZZUSDT', code: 'UNKNOWN_SYMBOL' },
      ],
      unknown: ['NOPEUSDT', 'ZZZUSDT'],
    });
    expect(streamed).toEqual(['BTCUSDT']);
  });

  it('answers a connector market the body names but the provider lacks with 400', async () => {
    const res = await update({ connectorType: 'sim', marketType: 'futures', symbols: ['BTCUSDT'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [expect.objectContaining({ path: 'connectorType', code: 'UNKNOWN_CONNECTOR' })] },
    });
  });
});
