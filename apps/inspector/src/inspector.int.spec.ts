import { createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';
import { connectProviderSocket, createProviderClient } from '@barfinex/sdk';
import type { ProviderClient, ProviderSocket } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import { deleteNatsStream, describeWithNats, eventually, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess } from '@barfinex/testing';
import { createInspectorApp } from './app';
import type { InspectorApp } from './app';
import { loadInspectorConfig } from './config';
import { Dec } from './decimal';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
type Json = Record<string, unknown>;
type Position = {
  id: string;
  status: string;
  intentId?: string;
  slClientOrderId?: string;
  tpClientOrderId?: string;
  exitReason?: string;
};
type Outcome = EventEnvelope<'INSPECTOR_TRADE_OUTCOME'>;

describeWithNats('inspector with a real provider process (sim exchange) on NATS', () => {
  let p: ProviderProcess;
  let provider: ProviderClient;
  let advisorBus: Bus;
  let inspectorBus: Bus;
  let db: Database;
  let inspector: InspectorApp;
  let ws: ProviderSocket;
  const seen: EventEnvelope[] = [];

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${p.baseUrl}/api/inspectors/inspector${path}`, {
      method,
      headers: { ...p.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const positions = async () => (await api('GET', '/positions?limit=100')).body['items'] as Position[];
  const positionOf = async (intentId: string) => (await positions()).find((x) => x.intentId === intentId);
  const intent = (n: number, over: Json = {}) => ({
    intentId: `it-${n}`,
    idempotencyKey: `it-idem-${n}`,
    symbol: 'BTCUSDT',
    side: 'BUY',
    quantity: '0.01',
    entry: '60000',
    stopLoss: '59000',
    takeProfit: '61000',
    connectorType: 'sim',
    marketType: 'futures',
    ...over,
  });
  const publishIntent = (n: number, over: Json = {}) =>
    advisorBus.publish('ADVISOR_EXECUTION_INTENT_OPEN', intent(n, over) as never, { correlationId: `corr-it-${n}` });
  const inspectorOrders = async () =>
    (await provider.orders.list({ limit: 1000 })).data.filter((o) => o.source.type === 'inspector');

  async function startInspector(): Promise<InspectorApp> {
    inspectorBus = await createNatsBus({
      servers: NATS_URL,
      name: 'inspector-int',
      subjectPrefix: p.subjectPrefix,
      streamName: p.streamName,
    });
    const config = {
      ...loadInspectorConfig({
        PROVIDER_URL: p.baseUrl,
        PROVIDER_API_TOKEN: p.token,
        INSPECTOR_HEARTBEAT_MS: '1s',
        INSPECTOR_RECONCILE_MS: '1h',
        LOG_LEVEL: 'silent',
      }),
      INSPECTOR_PORT: 0,
      INSPECTOR_HOST: '127.0.0.1',
    };
    const app = await createInspectorApp({
      config,
      logger: createLogger({ name: 'inspector', level: 'silent' }),
      bus: inspectorBus,
      db,
      provider,
    });
    await app.start();
    await eventually(async () => expect((await api('GET', '/health')).status).toBe(200), 20_000);
    return app;
  }

  beforeAll(async () => {
    p = await startProviderProcess({ natsUrl: NATS_URL, env: { SIM_SYMBOLS: 'BTCUSDT', SIM_AUTOSTART: 'false' } });
    provider = createProviderClient({ baseUrl: p.baseUrl, token: p.token, timeoutMs: 10_000 });
    await provider.sim.pause();
    await provider.sim.setPrice({ symbol: 'BTCUSDT', price: '60000', marketType: 'futures' });
    advisorBus = await createNatsBus({
      servers: NATS_URL,
      name: 'advisor-int',
      subjectPrefix: p.subjectPrefix,
      streamName: p.streamName,
    });
    db = await createTestPglite();
    inspector = await startInspector();
    await api('PUT', '/policies', {
      maxPositionPercent: '100',
      maxExposurePercent: '200',
      cooldownMs: 0,
      maxDrawdownPercent: '15',
    });
    ws = connectProviderSocket({
      baseUrl: p.baseUrl,
      token: p.token,
      events: ['INSPECTOR_TRADE_OUTCOME', 'INSPECTOR_RISK_KILL_SWITCH', 'INSPECTOR_RISK_LIMIT_BREACH'],
    });
    for (const name of [
      'INSPECTOR_TRADE_OUTCOME',
      'INSPECTOR_RISK_KILL_SWITCH',
      'INSPECTOR_RISK_LIMIT_BREACH',
    ] as const)
      ws.on(name, (env) => seen.push(env));
    await ws.ready();
  }, 120_000);

  afterAll(async () => {
    ws?.close();
    await inspector?.stop();
    await inspectorBus?.close();
    await advisorBus?.close();
    await db?.close();
    provider?.close();
    await p?.stop();
    if (p) await deleteNatsStream(p.streamName, NATS_URL);
  }, 60_000);

  it('intent → filled entry → SL/TP resting on the provider → price reaches the TP → outcome on the WebSocket with the intent correlation id', async () => {
    await publishIntent(1);
    let pos: Position | undefined;
    await eventually(async () => {
      pos = await positionOf('it-1');
      expect(pos?.status).toBe('OPEN');
    }, 30_000);
    const open = pos as Position;
    await eventually(async () => {
      expect((await provider.orders.get(open.slClientOrderId ?? '')).status).toBe('PENDING_TRIGGER');
      expect((await provider.orders.get(open.tpClientOrderId ?? '')).status).toBe('PENDING_TRIGGER');
    }, 20_000);
    expect(await provider.orders.get(open.slClientOrderId ?? '')).toMatchObject({
      type: 'STOP_MARKET',
      side: 'SELL',
      stopPrice: '59000',
      reduceOnly: true,
      source: { type: 'inspector', key: 'inspector' },
    });

    await provider.sim.setPrice({ symbol: 'BTCUSDT', price: '61000', marketType: 'futures' });
    await eventually(() => expect(seen.some((e) => e.type === 'INSPECTOR_TRADE_OUTCOME')).toBe(true), 30_000);
    const outcome = seen.find((e): e is Outcome => e.type === 'INSPECTOR_TRADE_OUTCOME') as Outcome;
    expect(outcome.correlationId).toBe('corr-it-1');
    expect(outcome.payload).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'LONG',
      exitReason: 'take_profit',
      isWin: true,
      intentId: 'it-1',
      positionId: open.id,
      entryPrice: expect.any(String),
      rMultiple: expect.any(String),
    });
    // The take-profit converts to a market order and fills on the bid; the PnL is exact net of the venue's fees.
    const o = outcome.payload;
    expect(
      new Dec(o.exitPrice)
        .minus(o.entryPrice)
        .times(o.quantity)
        .minus(o.fees ?? '0')
        .toFixed(),
    ).toBe(o.pnl);
    await eventually(
      async () => expect((await provider.orders.get(open.slClientOrderId ?? '')).status).toBe('CANCELED'),
      20_000,
    );
    expect((await positionOf('it-1'))?.status).toBe('CLOSED');
  }, 90_000);

  it('restarted mid-position: no duplicate order, the same SL/TP stay in place and still close the trade', async () => {
    await provider.sim.setPrice({ symbol: 'BTCUSDT', price: '60000', marketType: 'futures' });
    await publishIntent(2);
    let pos: Position | undefined;
    await eventually(async () => {
      pos = await positionOf('it-2');
      expect(pos?.status).toBe('OPEN');
      expect((await provider.orders.get(pos?.tpClientOrderId ?? '-')).status).toBe('PENDING_TRIGGER');
    }, 30_000);
    const before = (await inspectorOrders()).map((o) => o.clientOrderId).sort();

    await inspector.stop();
    await inspectorBus.close();
    inspector = await startInspector();
    await eventually(async () => expect((await api('GET', '/ready')).status).toBe(200), 20_000);
    expect((await inspectorOrders()).map((o) => o.clientOrderId).sort()).toEqual(before);
    const after = (await positionOf('it-2')) as Position;
    expect(after).toMatchObject({
      status: 'OPEN',
      slClientOrderId: pos?.slClientOrderId,
      tpClientOrderId: pos?.tpClientOrderId,
    });
    expect((await provider.orders.get(after.slClientOrderId ?? '')).status).toBe('PENDING_TRIGGER');

    await provider.sim.setPrice({ symbol: 'BTCUSDT', price: '61000', marketType: 'futures' });
    await eventually(async () => expect((await positionOf('it-2'))?.status).toBe('CLOSED'), 30_000);
    // The REST view can show CLOSED a moment before the outcome event reaches the WebSocket.
    await eventually(
      () =>
        expect(
          seen.find((e): e is Outcome => e.type === 'INSPECTOR_TRADE_OUTCOME' && e.correlationId === 'corr-it-2')
            ?.payload.exitReason,
        ).toBe('take_profit'),
      30_000,
    );
  }, 90_000);

  it('a drawdown trips the kill switch; the next intent is blocked with its reason until the REST reset', async () => {
    await provider.sim.setPrice({ symbol: 'BTCUSDT', price: '60000', marketType: 'futures' });
    expect(
      (
        await api('PUT', '/policies', {
          maxPositionPercent: '100',
          maxExposurePercent: '200',
          cooldownMs: 0,
          maxDrawdownPercent: '1',
        })
      ).status,
    ).toBe(200);
    await publishIntent(3, { quantity: '1', stopLoss: '58500', takeProfit: '65000' });
    // Move the market only once the stop rests: a stop placed after the price passed it is refused
    // by the venue, and the inspector then (rightly) closes at market instead.
    await eventually(async () => {
      const pos = await positionOf('it-3');
      expect(pos?.status).toBe('OPEN');
      expect((await provider.orders.get(pos?.slClientOrderId ?? '-')).status).toBe('PENDING_TRIGGER');
    }, 30_000);
    await provider.sim.setPrice({ symbol: 'BTCUSDT', price: '58000', marketType: 'futures' });
    await eventually(() => expect(seen.some((e) => e.type === 'INSPECTOR_RISK_KILL_SWITCH')).toBe(true), 30_000);
    expect(seen.find((e) => e.type === 'INSPECTOR_RISK_KILL_SWITCH')?.payload).toMatchObject({
      active: true,
      actor: 'policy:maxDrawdown',
    });
    expect((await positionOf('it-3'))?.exitReason).toBe('stop_loss');

    await publishIntent(4);
    type Breach = EventEnvelope<'INSPECTOR_RISK_LIMIT_BREACH'>;
    const breachOf = (id: string) =>
      seen.find((e): e is Breach => e.type === 'INSPECTOR_RISK_LIMIT_BREACH' && (e as Breach).payload.intentId === id);
    await eventually(() => expect(breachOf('it-4')).toBeDefined(), 30_000);
    const breach = breachOf('it-4');
    expect(breach?.payload).toMatchObject({
      policy: 'killSwitch',
      action: 'BLOCK',
      reason: expect.stringMatching(/^kill switch active: drawdown/),
    });
    expect(breach?.correlationId).toBe('corr-it-4');
    expect(await positionOf('it-4')).toBeUndefined();

    const dashboard = (await api('GET', '/inspector/risk/dashboard')).body;
    expect(dashboard).toMatchObject({
      killSwitch: { active: true },
      policies: { maxDrawdownPercent: '1' },
      risk: { available: true },
    });
    const audit = (await api('GET', '/audit?action=BLOCK')).body;
    expect(audit['items']).toEqual(
      expect.arrayContaining([expect.objectContaining({ intentId: 'it-4', policy: 'killSwitch' })]),
    );
    expect((await api('POST', '/kill-switch/reset', {})).body).toMatchObject({ active: false });
    expect((await api('PUT', '/policies', { maxDrawdownPercent: 'lots' })).status).toBe(400);
  }, 120_000);
});
