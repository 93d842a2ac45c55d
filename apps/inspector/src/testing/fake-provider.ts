import type { Bus } from '@barfinex/bus';
import type { Order, OrderCreateInput } from '@barfinex/contracts';
import type { ProviderClient } from '@barfinex/sdk';
import { AppError } from '@barfinex/service-kit';
import { Dec } from '../decimal';

// `ok` lets one order through, so a failure can be aimed at a later one (a protective order after the entry).
type Failure = 'ok' | 'timeout-after-store' | 'timeout-before-store' | 'reject';

/**
 * A futures venue behind the provider client the inspector uses: market orders fill at the last
 * price, STOP_MARKET / TAKE_PROFIT_MARKET rest until `setPrice` crosses them, every fill is
 * announced on the bus like the provider does. Calls are recorded for assertions. The spot
 * account only reports its `spot` balances (default: USDT only), for the pre-trade funds checks.
 */
export function createFakeProvider(
  bus: Bus,
  opts: { wallet?: string; prices?: Record<string, string>; spot?: Record<string, string> } = {},
) {
  const orders = new Map<string, Order>();
  const prices = new Map(Object.entries(opts.prices ?? { BTCUSDT: '60000' }));
  const position = new Map<string, Dec>();
  const entry = new Map<string, Dec>();
  let wallet = new Dec(opts.wallet ?? '100000');
  let seq = 0;
  const calls: { method: string; arg: unknown }[] = [];
  const failures: Failure[] = [];

  function account(symbol: string, side: 'BUY' | 'SELL', qty: Dec, price: Dec): void {
    const before = position.get(symbol) ?? new Dec(0);
    const signed = side === 'BUY' ? qty : qty.negated();
    const after = before.plus(signed);
    if (!before.isZero() && before.isNegative() !== signed.isNegative()) {
      const closedQty = Dec.min(qty, before.abs());
      const dir = before.isNegative() ? -1 : 1;
      wallet = wallet.plus(
        price
          .minus(entry.get(symbol) ?? price)
          .times(closedQty)
          .times(dir),
      );
    } else {
      entry.set(symbol, price);
    }
    position.set(symbol, after);
  }

  async function fill(o: Order, price: string): Promise<Order> {
    account(o.symbol, o.side, new Dec(o.quantity), new Dec(price));
    const done: Order = {
      ...o,
      status: 'FILLED',
      quantityExecuted: o.quantity,
      averagePrice: price,
      updatedAt: o.updatedAt + 1,
      closedAt: o.updatedAt + 1,
    };
    orders.set(o.clientOrderId, done);
    const meta = { correlationId: o.clientOrderId };
    await bus.publish(
      'PROVIDER_ORDER_FILL',
      {
        fillId: `${o.id}:1`,
        orderId: o.id,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        side: o.side,
        price,
        quantity: o.quantity,
        time: done.updatedAt,
        connectorType: o.connectorType,
        marketType: o.marketType,
        source: o.source,
      },
      meta,
    );
    await bus.publish('PROVIDER_ORDER_CLOSE', done, meta);
    return done;
  }

  function store(input: OrderCreateInput): Order {
    const cid = input.clientOrderId ?? `bfx-${seq}`;
    const order: Order = {
      id: `ord-${++seq}`,
      clientOrderId: cid,
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      status: input.type === 'MARKET' ? 'NEW' : 'PENDING_TRIGGER',
      quantity: String(input.quantity),
      quantityExecuted: '0',
      connectorType: input.connectorType,
      marketType: input.marketType,
      source: input.source ?? { type: 'provider' },
      createdAt: 1_700_000_000_000 + seq,
      updatedAt: 1_700_000_000_000 + seq,
      ...(input.stopPrice !== undefined ? { stopPrice: String(input.stopPrice) } : {}),
      ...(input.reduceOnly ? { reduceOnly: true } : {}),
    };
    orders.set(cid, order);
    return order;
  }

  const client = {
    orders: {
      create: async (input: OrderCreateInput) => {
        calls.push({ method: 'orders.create', arg: input });
        const failure = failures.shift();
        if (failure === 'reject')
          throw new AppError('ORDER_REJECTED', 'rejected by the venue', {
            details: { reason: 'WOULD_TRIGGER_IMMEDIATELY' },
          });
        if (failure === 'timeout-before-store') throw new AppError('GATEWAY_TIMEOUT', 'timed out');
        const existing = input.clientOrderId ? orders.get(input.clientOrderId) : undefined;
        if (existing) return existing;
        const order = store(input);
        const placed = order.type === 'MARKET' ? await fill(order, prices.get(order.symbol) ?? '1') : order;
        if (failure === 'timeout-after-store')
          throw new AppError('GATEWAY_TIMEOUT', 'timed out after the order was stored');
        return placed;
      },
      get: async (id: string) => {
        calls.push({ method: 'orders.get', arg: id });
        const o = orders.get(id);
        if (!o) throw new AppError('NOT_FOUND', `order ${id} not found`);
        return o;
      },
      close: async (id: string) => {
        calls.push({ method: 'orders.close', arg: id });
        const o = orders.get(id);
        if (!o) throw new AppError('NOT_FOUND', `order ${id} not found`);
        if (o.status === 'FILLED') throw new AppError('CONFLICT', 'already FILLED');
        if (o.status === 'CANCELED') return o;
        const canceled: Order = { ...o, status: 'CANCELED', closedAt: o.updatedAt + 1 };
        orders.set(id, canceled);
        await bus.publish('PROVIDER_ORDER_CLOSE', canceled, { correlationId: id });
        return canceled;
      },
    },
    market: {
      symbols: async (q: { marketType: string }) =>
        [...prices.keys()].map((symbol) => ({
          symbol,
          baseAsset: symbol.replace('USDT', ''),
          quoteAsset: 'USDT',
          status: 'TRADING',
          connectorType: 'sim',
          marketType: q.marketType,
          tickSize: '0.1',
          stepSize: '0.001',
          minQty: '0.001',
          minNotional: '5',
        })),
      ticker: async (q: { symbol: string }) => ({ s: q.symbol, c: prices.get(q.symbol) ?? '1' }),
    },
    accounts: {
      assets: async (m: { connectorType: string; marketType: string }) => {
        if (m.connectorType !== 'sim')
          throw new AppError('NOT_FOUND', `connector ${m.connectorType} is not configured`);
        if (m.marketType === 'spot') {
          const assets = Object.entries(opts.spot ?? { USDT: '100000' }).map(([symbol, free]) => ({
            connectorType: 'sim',
            marketType: 'spot',
            symbol,
            walletBalance: free,
            availableBalance: free,
          }));
          return { assets, positions: [] };
        }
        return {
          assets: [
            {
              connectorType: 'sim',
              marketType: 'futures',
              symbol: 'USDT',
              walletBalance: wallet.toFixed(),
              availableBalance: wallet.toFixed(),
            },
          ],
          positions: [...position.entries()]
            .filter(([, q]) => !q.isZero())
            .map(([symbol, q]) => {
              const last = new Dec(prices.get(symbol) ?? '1');
              const e = entry.get(symbol) ?? last;
              return {
                connectorType: 'sim',
                marketType: 'futures',
                symbol,
                side: q.isNegative() ? 'SHORT' : 'LONG',
                quantity: q.abs().toFixed(),
                entryPrice: e.toFixed(),
                lastPrice: last.toFixed(),
                unrealizedPnl: last.minus(e).times(q).toFixed(),
              };
            }),
        };
      },
    },
    inspectors: { get: async (key: string) => Promise.reject(new AppError('NOT_FOUND', `inspector ${key} not found`)) },
    registry: { register: async () => ({}), heartbeat: async () => ({}), unregister: async () => ({}) },
  };

  return {
    provider: client as unknown as ProviderClient,
    calls,
    orders,
    failNext: (f: Failure) => failures.push(f),
    creates: () => calls.filter((c) => c.method === 'orders.create').map((c) => c.arg as OrderCreateInput),
    /** Moves the price; resting stops it crosses trigger and fill at their stop price. */
    async setPrice(symbol: string, price: string): Promise<void> {
      prices.set(symbol, price);
      const p = new Dec(price);
      for (const o of [...orders.values()]) {
        if (o.symbol !== symbol || o.status !== 'PENDING_TRIGGER' || !o.stopPrice) continue;
        const stop = new Dec(o.stopPrice);
        const sellStop = o.type === 'STOP_MARKET' ? p.lte(stop) : p.gte(stop);
        const buyStop = o.type === 'STOP_MARKET' ? p.gte(stop) : p.lte(stop);
        if (o.side === 'SELL' ? sellStop : buyStop) await fill(o, o.stopPrice);
      }
    },
    /** Cancels an order behind the inspector's back (an operator, the venue). */
    async cancelExternally(clientOrderId: string): Promise<void> {
      await client.orders.close(clientOrderId);
    },
    wallet: () => wallet.toFixed(),
    /** Moves the futures wallet (a loss or a deposit the inspector did not trade). */
    setWallet: (value: string): void => void (wallet = new Dec(value)),
  };
}

export type FakeProvider = ReturnType<typeof createFakeProvider>;
