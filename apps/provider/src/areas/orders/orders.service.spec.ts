import Decimal from 'decimal.js';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { eventually } from '@barfinex/testing';
import { VenueRejectError } from '../../connectors/connector';
import type { ExchangeConnector, VenueOrderState } from '../../connectors/connector';
import { createConnectorRegistry } from '../../connectors/connector-registry';
import { createSimStateStore } from '../../connectors/sim-snapshot.store';
import type { SimStateStore, SimStateStoreDeps } from '../../connectors/sim-snapshot.store';
import { startProvider } from '../../testing/harness';
import { createOrdersRepository } from './orders.repository';
import { createOrdersService } from './orders.service';
import type { Harness } from '../../testing/harness';

let db: Database;
let h: Harness;
const bus = createMemoryBus();
/** How many of the simulator's next state saves fail (a database outage after the exchange accepted an order). */
let failingSaves = 0;
function failingStore(deps: SimStateStoreDeps): SimStateStore {
  const real = createSimStateStore(deps);
  return {
    ...real,
    save: (options) => {
      if (failingSaves === 0) return real.save(options);
      failingSaves -= 1;
      return Promise.reject(new Error('connection to the database lost'));
    },
  };
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { ...h.auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const order = (o: Record<string, unknown>): Record<string, unknown> => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  connectorType: 'sim',
  marketType: 'spot',
  ...o,
});

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus, sim: { createStore: failingStore } });
  await call('POST', '/api/connectors/sim/price', { symbol: 'BTCUSDT', price: '60000' });
});
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('fill events', () => {
  it('carry the order as the fill leaves it, so a follower of the order need not read it back', async () => {
    const fills: unknown[] = [];
    const sub = await bus.subscribe('PROVIDER_ORDER_FILL', (env) => void fills.push(env.payload));
    const placed = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.002', clientOrderId: 'fill-carries-order' }),
    );
    expect(placed.body.status).toBe('FILLED');
    await eventually(() =>
      expect(fills).toEqual([
        expect.objectContaining({
          clientOrderId: 'fill-carries-order',
          orderStatus: 'FILLED',
          quantityExecuted: placed.body.quantityExecuted,
          averagePrice: placed.body.averagePrice,
        }),
      ]),
    );
    await sub.unsubscribe();
  });
});

describe('replacing an order', () => {
  it('keeps the original working when the new terms would be refused', async () => {
    const placed = await call(
      'POST',
      '/api/orders',
      order({ type: 'LIMIT', quantity: '0.01', price: '50000', clientOrderId: 'rep-bad-terms' }),
    );
    expect(placed.body.status).toBe('NEW');
    const badPrice = await call('PUT', `/api/orders/${placed.body.id}`, { price: '50000.001' });
    expect(badPrice.status).toBe(400);
    const tooBig = await call('PUT', `/api/orders/${placed.body.id}`, { quantity: '100000' });
    expect(tooBig.status).toBe(400);
    expect((await call('GET', `/api/orders/${placed.body.id}`)).body.status).toBe('NEW');
  });

  it('refuses a clientOrderId that is already taken instead of answering with that other order', async () => {
    const other = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.001', clientOrderId: 'rep-taken' }),
    );
    expect(other.body.status).toBe('FILLED');
    const placed = await call(
      'POST',
      '/api/orders',
      order({ type: 'LIMIT', quantity: '0.01', price: '50000', clientOrderId: 'rep-original' }),
    );
    const res = await call('PUT', `/api/orders/${placed.body.id}`, { price: '50001', clientOrderId: 'rep-taken' });
    expect(res.status).toBe(409);
    expect((await call('GET', `/api/orders/${placed.body.id}`)).body.status).toBe('NEW');
  });

  it('replaces only what is left of a partially filled order', async () => {
    // A buy at the best ask for more than that level holds takes the level and rests with the rest.
    const level = h.sim.orderBook('spot', 'BTCUSDT', 1)?.asks[0];
    if (!level) throw new Error('the simulator has no asks');
    const quantity = new Decimal(level.volume).plus('0.01').toFixed();
    const buy = await call(
      'POST',
      '/api/orders',
      order({ type: 'LIMIT', quantity, price: level.price, clientOrderId: 'rep-partial' }),
    );
    expect(buy.body).toMatchObject({ status: 'PARTIALLY_FILLED', quantityExecuted: level.volume });
    const res = await call('PUT', `/api/orders/${buy.body.id}`, { price: '50000' });
    expect(res.status).toBe(200);
    expect(res.body.canceled.quantityExecuted).toBe(level.volume);
    expect(res.body.order.quantity).toBe('0.01');
  });

  it('carries the correlationId over to the replacement', async () => {
    const placed = await call(
      'POST',
      '/api/orders',
      order({ type: 'LIMIT', quantity: '0.01', price: '50000', correlationId: 'signal-7' }),
    );
    const res = await call('PUT', `/api/orders/${placed.body.id}`, { price: '50001' });
    expect(res.status).toBe(200);
    expect(res.body.order.correlationId).toBe('signal-7');
  });
});

describe('requests the venue finds invalid', () => {
  it.each([
    [
      'reduceOnly on spot',
      order({ side: 'SELL', type: 'MARKET', quantity: '0.001', reduceOnly: true, clientOrderId: 'inv-1' }),
    ],
    [
      'a callbackRate off the 0.1 grid',
      order({
        symbol: 'ETHUSDT',
        marketType: 'futures',
        type: 'TRAILING_STOP_MARKET',
        quantity: '0.1',
        callbackRate: '0.15',
        clientOrderId: 'inv-2',
      }),
    ],
  ])('answers %s with 400 and stores nothing', async (_name, body) => {
    const res = await call('POST', '/api/orders', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect((await call('GET', `/api/orders/${String(body['clientOrderId'])}`)).status).toBe(404);
    // The id is free again: the corrected order goes through under it.
    const fixed = await call('POST', '/api/orders', {
      ...body,
      reduceOnly: false,
      callbackRate: body['callbackRate'] ? '0.2' : undefined,
    });
    expect(fixed.status).toBe(201);
  });
});

describe('cancelling every order of a detector', () => {
  it('cancels the rest when the venue refuses to cancel one of them', async () => {
    const source = { type: 'detector', key: 'det-cancel-all' };
    const live = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity: '0.01', price: '49000', source }));
    expect(live.body.status).toBe('NEW');
    // A stored open order the venue does not know (its state was lost), created after the live one so it is cancelled first.
    await db.prisma.order.create({
      data: {
        id: 'phantom-1',
        clientOrderId: 'phantom-1',
        connectorType: 'sim',
        marketType: 'spot',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        status: 'NEW',
        price: '48000',
        quantity: '0.01',
        quantityExecuted: '0',
        sourceType: 'detector',
        sourceKey: 'det-cancel-all',
        createdAt: BigInt(Date.UTC(2030, 0, 1)),
        updatedAt: BigInt(Date.UTC(2030, 0, 1)),
      },
    });
    const res = await call('DELETE', '/api/orders/detector/det-cancel-all');
    expect(res.status).toBe(200);
    expect(res.body.canceled).toBe(1);
    expect((await call('GET', `/api/orders/${live.body.id}`)).body.status).toBe('CANCELED');
  });

  it('reads every matching order, however many batches they take', async () => {
    const at = BigInt(Date.UTC(2030, 0, 1));
    for (let i = 0; i < 7; i++) {
      await db.prisma.order.create({
        data: {
          id: `many-${i}`,
          clientOrderId: `many-${i}`,
          connectorType: 'sim',
          marketType: 'spot',
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          status: i === 3 ? 'FILLED' : 'NEW',
          price: '40000',
          quantity: '0.01',
          quantityExecuted: '0',
          sourceType: 'detector',
          sourceKey: 'det-many',
          createdAt: at + BigInt(i),
          updatedAt: at,
        },
      });
    }
    const repo = createOrdersRepository(db.prisma);
    const open = await repo.listAll({ sourceType: 'detector', sourceKey: 'det-many', statuses: ['NEW'] }, 2);
    expect(open.map((o) => o.id).sort()).toEqual(['many-0', 'many-1', 'many-2', 'many-4', 'many-5', 'many-6']);
    expect(await repo.listAll({ sourceKey: 'det-many' }, 7)).toHaveLength(7);
  });
});

describe('order times', () => {
  it('never closes or updates an order before it was created, whatever the venue clock says', async () => {
    // The harness's simulator clock is paused at 2026-01-05, far behind the provider's clock.
    const res = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.001' }));
    expect(res.body.status).toBe('FILLED');
    expect(res.body.updatedAt).toBeGreaterThanOrEqual(res.body.createdAt);
    expect(res.body.closedAt).toBeGreaterThanOrEqual(res.body.createdAt);
  });
});

describe('an order the simulator accepted but could not save', () => {
  it('is answered, stored with its externalId and fills, and replayed as placed', async () => {
    failingSaves = 1;
    const res = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.001', clientOrderId: 'save-fails-1' }),
    );
    expect(failingSaves).toBe(0);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'FILLED', quantityExecuted: '0.001' });
    expect(res.body.externalId).toEqual(expect.any(String));
    const fills = await db.prisma.fill.findMany({ where: { orderId: res.body.id } });
    expect(
      fills
        .map((f) => f.quantity.toString())
        .reduce((a, q) => a.plus(q), new Decimal(0))
        .toFixed(),
    ).toBe('0.001');
    const again = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.001', clientOrderId: 'save-fails-1' }),
    );
    expect([again.status, again.body.id, again.body.status, again.body.externalId]).toEqual([
      200,
      res.body.id,
      'FILLED',
      res.body.externalId,
    ]);
  });
});

/** A stored open order for an order the venue has, as when its closing event is still on the way. */
async function storedOpen(clientOrderId: string, o: { type: string; quantity: string; price?: string }) {
  await h.provider.orders.idle();
  const at = BigInt(Date.UTC(2030, 0, 1));
  await db.prisma.order.create({
    data: {
      id: `row-${clientOrderId}`,
      clientOrderId,
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: o.type,
      status: 'NEW',
      ...(o.price ? { price: o.price } : {}),
      quantity: o.quantity,
      quantityExecuted: '0',
      sourceType: 'provider',
      createdAt: at,
      updatedAt: at,
    },
  });
  return `row-${clientOrderId}`;
}

describe('cancelling an order the venue already closed', () => {
  it('stores the fill the venue reports and answers as for an order already FILLED', async () => {
    // Placed at the venue before the provider stored it, so the provider never saw it fill.
    const venue = h.sim.exchange.placeOrder('main', {
      marketType: 'spot',
      clientOrderId: 'closed-filled',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.001',
    });
    expect(venue.order.status).toBe('FILLED');
    const id = await storedOpen('closed-filled', { type: 'MARKET', quantity: '0.001' });
    const res = await call('PUT', '/api/orders/close', { id });
    expect(res.status).toBe(409);
    expect(res.body.error.details.order).toMatchObject({
      id,
      status: 'FILLED',
      externalId: venue.order.id,
      quantityExecuted: '0.001',
    });
    const stored = (await call('GET', `/api/orders/${id}`)).body;
    expect(stored).toMatchObject({ status: 'FILLED', externalId: venue.order.id, quantityExecuted: '0.001' });
    expect(stored.closedAt).toEqual(expect.any(Number));
  });

  it('stores a cancel or expiry that happened at the venue and answers 200 with it', async () => {
    const venue = h.sim.exchange.placeOrder('main', {
      marketType: 'spot',
      clientOrderId: 'closed-canceled',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: '40000',
    });
    h.sim.exchange.cancelOrder('main', 'spot', venue.order.id);
    const id = await storedOpen('closed-canceled', { type: 'LIMIT', quantity: '0.001', price: '40000' });
    const res = await call('PUT', '/api/orders/close', { id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'CANCELED', externalId: venue.order.id });
    expect((await call('GET', `/api/orders/${id}`)).body.status).toBe('CANCELED');
  });

  describe('on a venue that refuses to cancel a closed order', () => {
    // As Binance (-2011 "Unknown order sent.") and Alpaca (422 "order is not cancelable") do.
    let venueState: VenueOrderState | undefined;
    const venue = {
      type: 'binance',
      markets: ['spot'],
      cancelOrder: async () => {
        throw new VenueRejectError('-2011', 'Unknown order sent.', false);
      },
      queryOrder: async () => venueState,
    } as unknown as ExchangeConnector;
    const service = () =>
      createOrdersService({
        repo: createOrdersRepository(db.prisma),
        connectors: createConnectorRegistry([venue]),
        events: { emit: () => undefined, settled: async () => undefined },
        now: () => Date.UTC(2030, 0, 2),
      });
    const stored = async (clientOrderId: string) => {
      const at = BigInt(Date.UTC(2030, 0, 1));
      await db.prisma.order.create({
        data: {
          id: clientOrderId,
          clientOrderId,
          connectorType: 'binance',
          marketType: 'spot',
          symbol: 'BTCUSDT',
          side: 'SELL',
          type: 'LIMIT',
          status: 'NEW',
          price: '70000',
          quantity: '0.5',
          quantityExecuted: '0',
          sourceType: 'provider',
          createdAt: at,
          updatedAt: at,
        },
      });
      return clientOrderId;
    };
    const state = (
      clientOrderId: string,
      status: VenueOrderState['status'],
      quantityExecuted: string,
    ): VenueOrderState => ({
      clientOrderId,
      externalId: `x-${clientOrderId}`,
      symbol: 'BTCUSDT',
      status,
      quantityExecuted,
      updatedAt: Date.UTC(2030, 0, 1, 12),
    });

    it('asks the venue for the order and stores its final state', async () => {
      const id = await stored('bn-filled');
      venueState = state(id, 'FILLED', '0.5');
      await expect(service().cancel(id)).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { order: { status: 'FILLED', quantityExecuted: '0.5', externalId: 'x-bn-filled' } },
      });
      const expired = await stored('bn-expired');
      venueState = state(expired, 'EXPIRED', '0.2');
      await expect(service().cancel(expired)).resolves.toMatchObject({ status: 'EXPIRED', quantityExecuted: '0.2' });
      expect((await db.prisma.order.findUnique({ where: { id } }))?.status).toBe('FILLED');
    });

    it('keeps answering 409 when the venue says the order is still open or does not know it', async () => {
      const id = await stored('bn-open');
      venueState = state(id, 'NEW', '0');
      await expect(service().cancel(id)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: '-2011' } });
      venueState = undefined;
      await expect(service().cancel(id)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: '-2011' } });
      expect((await db.prisma.order.findUnique({ where: { id } }))?.status).toBe('NEW');
    });
  });
});

describe('leverage on an order', () => {
  it('is refused on spot, where it means nothing, and nothing is stored', async () => {
    const body = order({ type: 'LIMIT', quantity: '0.001', price: '50000', leverage: 3, clientOrderId: 'lev-spot' });
    const res = await call('POST', '/api/orders', body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({ path: 'leverage', code: 'LEVERAGE_NOT_APPLICABLE' }),
    ]);
    expect((await call('GET', '/api/orders/lev-spot')).status).toBe(404);
  });

  it('sets the symbol leverage on futures before the order is sent', async () => {
    expect(
      (await call('PUT', '/api/accounts/leverage', { connectorType: 'sim', symbol: 'BTCUSDT', leverage: 1 })).status,
    ).toBe(200);
    const res = await call(
      'POST',
      '/api/orders',
      order({
        marketType: 'futures',
        type: 'LIMIT',
        quantity: '0.01',
        price: '50000',
        leverage: 3,
        clientOrderId: 'lev-futures',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'NEW', leverage: 3 });
    expect(h.sim.exchange.leverage('main', 'BTCUSDT')).toBe(3);
    expect(h.sim.exchange.getOrderByClientId('main', 'lev-futures')?.leverage).toBe(3);
    // A replacement keeps whatever leverage the symbol has now.
    expect(
      (await call('PUT', '/api/accounts/leverage', { connectorType: 'sim', symbol: 'BTCUSDT', leverage: 2 })).status,
    ).toBe(200);
    expect((await call('PUT', `/api/orders/${res.body.id}`, { price: '50001' })).status).toBe(200);
    expect(h.sim.exchange.leverage('main', 'BTCUSDT')).toBe(2);
  });

  it('refuses a leverage outside 1–125 before anything is stored', async () => {
    const res = await call(
      'POST',
      '/api/orders',
      order({
        marketType: 'futures',
        type: 'LIMIT',
        quantity: '0.01',
        price: '50000',
        leverage: 500,
        clientOrderId: 'lev-range',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ path: 'leverage' })]);
    expect((await call('GET', '/api/orders/lev-range')).status).toBe(404);
  });

  it('answers 400 and stores nothing when the venue refuses the leverage', async () => {
    // A venue may allow less than 125 for a symbol (Binance's leverage brackets): this sim symbol allows 20 at most.
    const exchange = h.sim.exchange;
    const real = exchange.setLeverage.bind(exchange);
    exchange.setLeverage = (accountId, symbol, leverage) => real(accountId, symbol, leverage > 20 ? 0 : leverage);
    try {
      const body = order({
        marketType: 'futures',
        type: 'LIMIT',
        quantity: '0.01',
        price: '50000',
        leverage: 50,
        clientOrderId: 'lev-refused',
      });
      const res = await call('POST', '/api/orders', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.issues).toEqual([
        expect.objectContaining({ path: 'leverage', code: 'INVALID_LEVERAGE' }),
      ]);
      expect((await call('GET', '/api/orders/lev-refused')).status).toBe(404);
      expect(h.sim.exchange.getOrderByClientId('main', 'lev-refused')).toBeUndefined();
    } finally {
      exchange.setLeverage = real;
    }
  });
});

describe('an order whose venue reply was lost', () => {
  // The venue call failed without an answer (a timeout, a dropped connection): the stored order
  // stays a write-ahead record until a retry or reconciliation asks the venue what became of it.
  const emitted: Array<{ name: string; eventId?: string }> = [];
  const events = {
    emit: (name: string, _p: unknown, meta?: { eventId?: string }) =>
      void emitted.push({ name, ...(meta?.eventId ? { eventId: meta.eventId } : {}) }),
    settled: async () => undefined,
  };
  function venue(reaches: boolean): ExchangeConnector {
    let calls = 0;
    return {
      ...h.sim,
      placeOrder: async (market, req) => {
        calls += 1;
        if (calls > 1) return h.sim.placeOrder(market, req);
        if (reaches) await h.sim.placeOrder(market, req);
        throw new Error('socket hang up');
      },
    };
  }
  const service = (connector: ExchangeConnector) =>
    createOrdersService({
      repo: createOrdersRepository(db.prisma),
      connectors: createConnectorRegistry([connector]),
      events: events as never,
      now: Date.now,
    });
  const input = (clientOrderId: string) => ({
    symbol: 'BTCUSDT',
    side: 'BUY' as const,
    type: 'MARKET' as const,
    quantity: '0.001',
    connectorType: 'sim' as const,
    marketType: 'spot' as const,
    clientOrderId,
  });

  it('is answered by a retry with the venue state when the venue has it, announced once', async () => {
    const orders = service(venue(true));
    await expect(orders.place(input('lost-reply-1'))).rejects.toThrow('socket hang up');
    expect((await call('GET', '/api/orders/lost-reply-1')).body).toMatchObject({ status: 'NEW' });
    const retry = await orders.place(input('lost-reply-1'));
    expect(retry).toMatchObject({ replayed: true, order: { status: 'FILLED', quantityExecuted: '0.001' } });
    expect(h.sim.exchange.openOrders('main').filter((o) => o.clientOrderId === 'lost-reply-1')).toHaveLength(0);
    const id = retry.order.id;
    expect(emitted.filter((e) => e.eventId?.startsWith(id)).map((e) => e.name)).toEqual([
      'PROVIDER_ORDER_CREATE',
      'PROVIDER_ORDER_FILL',
      'PROVIDER_ORDER_CLOSE',
    ]);
    // Asked again, nothing more is announced.
    await orders.place(input('lost-reply-1'));
    expect(emitted.filter((e) => e.eventId?.startsWith(id))).toHaveLength(3);
  });

  it('is answered by a retry with the refusal when the venue refused it, announced as closed only', async () => {
    // A venue that keeps refused orders (Binance answers a query for one with REJECTED/EXPIRED).
    const refused = {
      ...h.sim,
      queryOrder: async (_m: unknown, clientOrderId: string) => ({
        clientOrderId,
        externalId: 'v-9',
        symbol: 'BTCUSDT',
        status: 'REJECTED' as const,
        quantityExecuted: '0',
        rejectReason: 'INSUFFICIENT_BALANCE',
        updatedAt: Date.now(),
      }),
    };
    const orders = service({ ...refused, placeOrder: async () => Promise.reject(new Error('socket hang up')) });
    await expect(orders.place(input('lost-reply-5'))).rejects.toThrow('socket hang up');
    const retry = await orders.place(input('lost-reply-5'));
    expect(retry).toMatchObject({
      replayed: true,
      order: { status: 'REJECTED', rejectReason: 'INSUFFICIENT_BALANCE', externalId: 'v-9' },
    });
    expect(emitted.filter((e) => e.eventId?.startsWith(retry.order.id)).map((e) => e.name)).toEqual([
      'PROVIDER_ORDER_CLOSE',
    ]);
  });

  it('is sent by a retry when the venue never received it, exactly once', async () => {
    const orders = service(venue(false));
    await expect(orders.place(input('lost-reply-2'))).rejects.toThrow('socket hang up');
    expect(h.sim.exchange.getOrderByClientId('main', 'lost-reply-2')).toBeUndefined();
    const retry = await orders.place(input('lost-reply-2'));
    expect(retry).toMatchObject({ replayed: false, order: { status: 'FILLED' } });
    expect(h.sim.exchange.getOrderByClientId('main', 'lost-reply-2')?.status).toBe('FILLED');
  });

  it('is settled by reconciliation without a retry: adopted when the venue has it, discarded when it never did', async () => {
    const reached = service(venue(true));
    await expect(reached.place(input('lost-reply-3'))).rejects.toThrow();
    const never = service(venue(false));
    await expect(never.place(input('lost-reply-4'))).rejects.toThrow();
    await h.provider.reconcileAll();
    expect((await call('GET', '/api/orders/lost-reply-3')).body).toMatchObject({
      status: 'FILLED',
      quantityExecuted: '0.001',
    });
    expect((await call('GET', '/api/orders/lost-reply-4')).status).toBe(404);
    const latest = h.provider.reconciler.latest('sim', 'spot');
    expect(latest?.mismatches.map((m) => m.kind).sort()).toEqual(
      expect.arrayContaining(['missingRemote', 'statusChanged']),
    );
  });
});
