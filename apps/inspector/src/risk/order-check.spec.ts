import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import type { RiskBreach } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import request from 'supertest';
import type { InspectorApp } from '../app';
import { createFakeProvider } from '../testing/fake-provider';
import { testInspectorApp } from '../testing/test-app';

// An agent's order, as the provider's MCP server sends it through the proxy: 0.1 BTC at 60 000 = 6 000.
const ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'MARKET',
  quantity: '0.1',
  connectorType: 'sim',
  marketType: 'futures',
  actor: 'agent-1',
};

describe('an order placed around the inspector (GET and POST /risk/check)', () => {
  let db: Database;
  let bus: MemoryBus;
  let app: InspectorApp;
  const breaches: RiskBreach[] = [];
  const auth = { authorization: 'Bearer secret-token' };
  const audit = async () =>
    (await request(app.app).get('/audit?limit=500').set(auth)).body.items as Array<Record<string, unknown>>;
  const policies = (patch: Record<string, unknown>) =>
    request(app.app).put('/policies').set(auth).send(patch).expect(200);

  beforeAll(async () => {
    db = await createTestPglite();
    bus = createMemoryBus();
    await bus.subscribe('INSPECTOR_RISK_LIMIT_BREACH', async (env) => {
      breaches.push(env.payload);
    });
    const { provider } = createFakeProvider(bus);
    app = await testInspectorApp({ db, bus, provider });
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await bus.close();
    await db.close();
  });

  it('lets an order within every policy through, at the last price, and a dry run records nothing', async () => {
    const dry = await request(app.app).get('/inspector/risk/check').query(ORDER).set(auth);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      allowed: true,
      action: 'ALLOW',
      reason: 'every policy passed',
      recorded: false,
      numbers: { price: '60000', notional: '6000', equity: '100000', actor: 'agent-1' },
    });
    // Every entry policy had its say, not only the position cap.
    expect(dry.body.checks.map((c: { policy: string }) => c.policy)).toEqual([
      'maxDrawdown',
      'dailyLoss',
      'consecutiveLosses',
      'noTradeWindow',
      'cooldown',
      'tradesPerDay',
      'positionSize',
      'totalExposure',
    ]);
    expect(await audit()).toEqual([]);
  });

  it.each([
    [{ maxPositionNotional: '5000' }, 'positionSize', /above the per-symbol cap 5000$/],
    [{ maxPositionPercent: '1' }, 'positionSize', /above the per-symbol cap 1000$/],
    [{ maxExposurePercent: '5' }, 'totalExposure', /^total exposure would be 6000, above 5000/],
    [
      { noTradeWindows: [{ start: '08:30', end: '09:30', label: 'open' }] },
      'noTradeWindow',
      /no-trade window 08:30-09:30/,
    ],
  ])('refuses what a policy forbids (%j → %s), in a dry run without a record', async (patch, policy, reason) => {
    const before = (await request(app.app).get('/policies').set(auth)).body.policies as Record<string, unknown>;
    await policies(patch);
    try {
      const dry = await request(app.app).get('/risk/check').query(ORDER).set(auth);
      expect(dry.body).toMatchObject({ allowed: false, action: 'BLOCK', policy, recorded: false });
      expect(dry.body.reason).toMatch(reason);
      expect(breaches).toEqual([]);
    } finally {
      await policies(
        Object.fromEntries(Object.keys(patch).map((k) => [k, k in before ? before[k] : null])) as Record<
          string,
          unknown
        >,
      );
    }
  });

  it('records a gated refusal once per order and outcome, with the order id, and announces it', async () => {
    await policies({ maxPositionNotional: '5000' });
    try {
      const live = { ...ORDER, clientOrderId: 'mcp-order-1' };
      const first = await request(app.app)
        .post('/inspector/risk/check')
        .set({ ...auth, 'x-correlation-id': 'corr-agent-1' })
        .send(live);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        allowed: false,
        action: 'BLOCK',
        policy: 'positionSize',
        reason: 'BTCUSDT position would be 6000, above the per-symbol cap 5000',
        recorded: true,
      });
      // The same order asked again (a retry) gets the same answer and adds no second record or event.
      expect((await request(app.app).post('/risk/check').set(auth).send(live)).body).toMatchObject({ allowed: false });
      const rows = await audit();
      expect(rows).toEqual([
        expect.objectContaining({
          kind: 'order',
          action: 'BLOCK',
          policy: 'positionSize',
          symbol: 'BTCUSDT',
          requestId: 'mcp-order-1',
          correlationId: 'corr-agent-1',
          numbers: expect.objectContaining({ notional: '6000', actor: 'agent-1', side: 'BUY' }),
        }),
      ]);
      expect(breaches).toEqual([
        expect.objectContaining({ policy: 'positionSize', current: '6000', limit: '5000', action: 'BLOCK' }),
      ]);
      // Within the cap, the same gate records the order it let through, and announces nothing.
      const allowed = await request(app.app)
        .post('/risk/check')
        .set(auth)
        .send({ ...live, clientOrderId: 'mcp-order-2', quantity: '0.05' });
      expect(allowed.body).toMatchObject({ allowed: true, recorded: true });
      expect((await audit()).map((r) => [r['requestId'], r['action']])).toEqual([
        ['mcp-order-2', 'ALLOW'],
        ['mcp-order-1', 'BLOCK'],
      ]);
      expect(breaches).toHaveLength(1);
    } finally {
      await policies({ maxPositionNotional: null });
    }
  });

  it('refuses every order while the kill switch is on, whatever its size', async () => {
    await request(app.app).post('/kill-switch').set(auth).send({ reason: 'operator halt' }).expect(200);
    try {
      const res = await request(app.app)
        .post('/risk/check')
        .set(auth)
        .send({ ...ORDER, quantity: '0.001', clientOrderId: 'mcp-order-3' });
      expect(res.body).toMatchObject({
        allowed: false,
        policy: 'killSwitch',
        reason: 'kill switch active: operator halt',
        recorded: true,
      });
    } finally {
      await request(app.app).post('/kill-switch/reset').set(auth).send({}).expect(200);
    }
  });

  it('answers 400 naming the field for an order it cannot judge', async () => {
    const res = await request(app.app)
      .post('/risk/check')
      .set(auth)
      .send({ ...ORDER, quantity: '-1' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['quantity']);
    expect((await request(app.app).get('/risk/check').query({ symbol: 'BTCUSDT' }).set(auth)).status).toBe(400);
  });
});
