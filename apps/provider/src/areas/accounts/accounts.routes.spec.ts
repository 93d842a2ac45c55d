import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import type { Order } from '@barfinex/contracts';
import { errorMiddleware } from '@barfinex/service-kit';
import { createConnectorRegistry } from '../../connectors/connector-registry';
import type { ExchangeConnector } from '../../connectors/connector';
import { createTypedRouter } from '../../http/typed-router';
import type { OrdersRepository } from '../orders/orders.repository';
import { registerAccountRoutes } from './accounts.routes';

const LIMIT = 3;
/** Open orders per market: spot has more than the cap, futures fewer. */
const OPEN: Record<string, number> = { spot: 5, futures: 2 };
const order = (marketType: string, i: number) =>
  ({
    id: `${marketType}-${i}`,
    clientOrderId: `c-${marketType}-${i}`,
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    status: 'NEW',
    quantity: '1',
    quantityExecuted: '0',
    price: '1',
    connectorType: 'sim',
    marketType,
    source: { type: 'provider' },
    createdAt: i,
    updatedAt: i,
  }) as Order;
const lists: Array<{ limit: number }> = [];
let server: Server;
let base: string;

const connector = {
  type: 'sim',
  markets: ['spot', 'futures'],
  status: () => 'ACTIVE',
  account: async () => ({ assets: [], positions: [] }),
  subscriptions: () => ({ symbols: ['BTCUSDT'] }),
} as unknown as ExchangeConnector;

const list: OrdersRepository['list'] = async (filter, page) => {
  lists.push({ limit: page.limit });
  const total = OPEN[filter.marketType as string] ?? 0;
  return {
    items: Array.from({ length: Math.min(total, page.limit) }, (_, i) => order(filter.marketType as string, total - i)),
    total,
  };
};

beforeAll(async () => {
  const t = createTypedRouter();
  registerAccountRoutes(t, { connectors: createConnectorRegistry([connector]), orders: { list }, ordersLimit: LIMIT });
  const app = express();
  app.use('/api', t.router);
  app.use(errorMiddleware({ logger: pino({ level: 'silent' }) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/accounts`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('account open orders cap', () => {
  it('says when an account carries only the newest of its open orders', async () => {
    const res = await fetch(`${base}/sim/spot`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { orders: Order[] };
    expect(body.orders.map((o) => o.id)).toEqual(['spot-5', 'spot-4', 'spot-3']);
    expect(res.headers.get('x-orders-truncated')).toBe('true');
    expect(res.headers.get('x-orders-total')).toBe('5');
    expect(res.headers.get('x-orders-limit')).toBe(String(LIMIT));
    expect(lists.at(-1)).toEqual({ limit: LIMIT });
  });

  it('adds no header when every open order fits', async () => {
    const res = await fetch(`${base}/sim/futures`);
    expect(((await res.json()) as { orders: Order[] }).orders).toHaveLength(2);
    expect(res.headers.get('x-orders-truncated')).toBeNull();
    expect(res.headers.get('x-orders-total')).toBeNull();
  });

  it('names the capped accounts and their totals in the list of accounts', async () => {
    const res = await fetch(base);
    const body = (await res.json()) as Array<{ marketType: string; orders: Order[] }>;
    expect(body.map((a) => [a.marketType, a.orders.length])).toEqual([
      ['spot', 3],
      ['futures', 2],
    ]);
    expect(res.headers.get('x-orders-truncated')).toBe('true');
    expect(res.headers.get('x-orders-truncated-accounts')).toBe('sim/spot=5');
  });
});
