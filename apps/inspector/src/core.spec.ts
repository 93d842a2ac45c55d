import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { EventEnvelope, EventName } from '@barfinex/events';
import pino from 'pino';
import { createInspectorCore } from './core';
import type { InspectorCore } from './core';
import { createFakeProvider } from './testing/fake-provider';
import type { FakeProvider } from './testing/fake-provider';

const NOW = Date.UTC(2024, 5, 3, 9, 0, 0);
const logger = pino({ level: 'silent' });

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const intent = (n: number, over: Record<string, unknown> = {}) => ({
  intentId: `int-${n}`,
  idempotencyKey: `idem-${n}`,
  decisionId: `dec-${n}`,
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  quantity: '0.1',
  entry: '60000',
  stopLoss: '59000',
  takeProfit: '62000',
  connectorType: 'sim' as const,
  marketType: 'futures' as const,
  ...over,
});

describe('inspector core (PGlite, memory bus, fake provider)', () => {
  let db: Database;
  let bus: MemoryBus;
  let fake: FakeProvider;
  let core: InspectorCore;
  let seen: EventEnvelope[];
  let clock: number;
  let appKey: string;
  let run = 0;

  async function boot(): Promise<InspectorCore> {
    const c = createInspectorCore({
      prisma: db.prisma,
      bus,
      provider: fake.provider,
      logger,
      now: () => clock,
      appKey,
      account: { connectorType: 'sim', marketType: 'futures', quoteAsset: 'USDT' },
    });
    await c.state.load();
    await c.subscribe(Promise.resolve());
    return c;
  }
  const events = <N extends EventName>(name: N) => seen.filter((e): e is EventEnvelope<N> => e.type === name);
  const publishIntent = (n: number, over: Record<string, unknown> = {}) =>
    bus.publish('ADVISOR_EXECUTION_INTENT_OPEN', intent(n, over), { correlationId: `corr-${n}` });
  const positionOf = async (n: number) =>
    (await core.repo.listPositions({ page: 1, limit: 50 })).items.find((p) => p.intentId === `int-${n}`);

  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => db.close());

  beforeEach(async () => {
    // One database for the suite; each test is its own inspector (rows are scoped by app key).
    appKey = `inspector-${++run}`;
    bus = createMemoryBus();
    fake = createFakeProvider(bus, {
      wallet: '10000',
      prices: { BTCUSDT: '60000', DOGEUSDT: '0.1' },
      spot: { USDT: '10000' },
    });
    clock = NOW;
    seen = [];
    await bus.subscribeAll(async (e) => void seen.push(e));
    core = await boot();
    await core.state.setPolicies({
      ...core.state.policies(),
      maxPositionPercent: '100',
      maxExposurePercent: '100',
      cooldownMs: 0,
    });
  });
  afterEach(async () => {
    await core.manager.idle();
    await bus.close();
  });

  it('allowed intent: entry with a persisted clientOrderId, then reduce-only SL/TP from the intent levels', async () => {
    await publishIntent(1);
    const p = await until(
      async () => (await positionOf(1))?.status === 'OPEN' && (await positionOf(1)),
      'open position',
    );
    await until(async () => fake.creates().length === 3, 'three orders');
    const [entry, sl, tp] = fake.creates();
    expect(entry).toMatchObject({
      type: 'MARKET',
      side: 'BUY',
      quantity: '0.1',
      clientOrderId: p.entryClientOrderId,
      source: { type: 'inspector', key: appKey },
    });
    expect(sl).toMatchObject({
      type: 'STOP_MARKET',
      side: 'SELL',
      stopPrice: '59000',
      reduceOnly: true,
      quantity: '0.1',
      clientOrderId: `${p.id}-SL1`,
    });
    expect(tp).toMatchObject({
      type: 'TAKE_PROFIT_MARKET',
      side: 'SELL',
      stopPrice: '62000',
      reduceOnly: true,
      clientOrderId: `${p.id}-TP1`,
    });
    const audit = (await core.repo.listAudit({ page: 1, limit: 10 })).items[0];
    expect(audit).toMatchObject({
      action: 'ALLOW',
      intentId: 'int-1',
      correlationId: 'corr-1',
      numbers: expect.objectContaining({ equity: '10000', notional: '6000', quantity: '0.1' }),
    });
    expect(audit?.checks).toHaveLength(8);
  });

  it('take-profit fill cancels the stop (OCO), closes the position and publishes the outcome with the intent correlation id', async () => {
    await publishIntent(2);
    const p = await until(async () => (await positionOf(2))?.status === 'OPEN' && (await positionOf(2)), 'open');
    await until(async () => fake.orders.get(`${p.id}-TP1`), 'tp resting');
    await fake.setPrice('BTCUSDT', '62000.5');
    const outcome = await until(async () => events('INSPECTOR_TRADE_OUTCOME')[0], 'outcome');
    expect(outcome.correlationId).toBe('corr-2');
    expect(outcome.payload).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'LONG',
      pnl: '200',
      rMultiple: '2',
      isWin: true,
      exitReason: 'take_profit',
      entryPrice: '60000',
      exitPrice: '62000',
      intentId: 'int-2',
      positionId: p.id,
    });
    await until(async () => fake.orders.get(`${p.id}-SL1`)?.status === 'CANCELED', 'stop cancelled');
    expect((await core.repo.getPosition(p.id))?.status).toBe('CLOSED');
    // Fills carry what the position needs and a POST under a clientOrderId is safe: no order is read back.
    expect(fake.calls.filter((c) => c.method === 'orders.get')).toEqual([]);
  });

  it('a redelivered intent is decided once and places no second order', async () => {
    await publishIntent(3);
    await until(async () => (await positionOf(3))?.status === 'OPEN', 'open');
    await until(async () => fake.creates().length === 3, 'three orders');
    await publishIntent(3);
    await core.manager.idle();
    // The protective orders are sent again under their ids: the provider answers the ones it holds.
    await until(async () => fake.creates().length === 5, 'the redelivery resending under the same ids');
    expect(fake.orders.size).toBe(3);
    expect((await core.repo.listAudit({ page: 1, limit: 10 })).total).toBe(1);
  });

  it('an ambiguous timeout is reconciled by clientOrderId, never re-sent blindly', async () => {
    fake.failNext('timeout-after-store');
    await publishIntent(4);
    const p = await until(
      async () => (await positionOf(4))?.status === 'OPEN' && (await positionOf(4)),
      'open after reconcile',
    );
    const entries = fake.creates().filter((o) => o.clientOrderId === p.entryClientOrderId);
    expect(entries).toHaveLength(1);
    expect(fake.calls.some((c) => c.method === 'orders.get' && c.arg === p.entryClientOrderId)).toBe(true);
  });

  it('blocks an oversized entry with the policy, the numbers and a breach event; no order', async () => {
    await core.state.setPolicies({ ...core.state.policies(), maxPositionPercent: '20' });
    await publishIntent(5, { quantity: '0.05' }); // 3000 of 10000 equity, cap 2000
    const breach = await until(async () => events('INSPECTOR_RISK_LIMIT_BREACH')[0], 'breach');
    expect(breach.payload).toMatchObject({
      policy: 'positionSize',
      action: 'BLOCK',
      current: '3000',
      limit: '2000',
      intentId: 'int-5',
    });
    expect(breach.correlationId).toBe('corr-5');
    expect(fake.creates()).toHaveLength(0);
    const audit = (await core.repo.listAudit({ page: 1, limit: 10, action: 'BLOCK' })).items[0];
    expect(audit).toMatchObject({
      policy: 'positionSize',
      reason: expect.stringContaining('above the per-symbol cap 2000'),
    });
  });

  it('a loss past the drawdown limit trips the kill switch; the next intent is blocked with its reason until reset', async () => {
    await core.state.setPolicies({ ...core.state.policies(), maxDrawdownPercent: '1' });
    await publishIntent(6);
    const p = await until(async () => (await positionOf(6))?.status === 'OPEN' && (await positionOf(6)), 'open');
    await until(async () => fake.orders.get(`${p.id}-SL1`), 'sl resting');
    await fake.setPrice('BTCUSDT', '58000'); // stop at 59000: -100 on 10000 = 1 %
    const kill = await until(async () => events('INSPECTOR_RISK_KILL_SWITCH')[0], 'kill switch');
    expect(kill.payload).toMatchObject({ active: true, actor: 'policy:maxDrawdown' });
    expect(events('INSPECTOR_TRADE_OUTCOME')[0]?.payload).toMatchObject({
      pnl: '-100',
      rMultiple: '-1',
      exitReason: 'stop_loss',
    });

    await publishIntent(7);
    const blocked = await until(
      async () => events('INSPECTOR_RISK_LIMIT_BREACH').find((e) => e.payload.intentId === 'int-7'),
      'blocked intent',
    );
    expect(blocked.payload).toMatchObject({
      policy: 'killSwitch',
      action: 'BLOCK',
      reason: expect.stringContaining('kill switch active: drawdown 1%'),
    });

    await core.gate.resetKillSwitch('test');
    expect(core.state.killSwitch().active).toBe(false);
    await publishIntent(8, { quantity: '0.01' });
    await until(async () => (await positionOf(8))?.status === 'OPEN', 'trading again after the reset');
  });

  it("the gate hears its own trade outcomes on the bus: one redelivered after a restart still trips the kill switch, another inspector's does not", async () => {
    await core.state.setPolicies({ ...core.state.policies(), maxDrawdownPercent: '1' });
    await core.state.snapshot(await core.account());
    fake.setWallet('9800');
    const outcome = {
      symbol: 'BTCUSDT',
      side: 'LONG' as const,
      pnl: '-200',
      pnlPct: '-2',
      fees: '0',
      quantity: '0.1',
      entryPrice: '60000',
      exitPrice: '58000',
      openedAt: NOW,
      closedAt: NOW,
      isWin: false,
      exitReason: 'stop_loss',
      positionId: 'ins0000000000000001',
      connectorType: 'sim' as const,
      marketType: 'futures' as const,
    };
    await bus.publish('INSPECTOR_TRADE_OUTCOME', outcome, { key: 'another-inspector', correlationId: 'corr-other' });
    await core.manager.idle();
    expect(core.state.killSwitch().active).toBe(false);
    await bus.publish('INSPECTOR_TRADE_OUTCOME', outcome, { key: appKey, correlationId: 'corr-own' });
    const kill = await until(async () => events('INSPECTOR_RISK_KILL_SWITCH')[0], 'kill switch');
    expect(kill).toMatchObject({ correlationId: 'corr-own', payload: { active: true, actor: 'policy:maxDrawdown' } });
  });

  it('after a restart mid-position nothing is re-sent; a stop cancelled meanwhile is replaced under a new id', async () => {
    await publishIntent(9);
    const p = await until(async () => (await positionOf(9))?.status === 'OPEN' && (await positionOf(9)), 'open');
    await until(async () => fake.orders.get(`${p.id}-TP1`), 'tp resting');
    await core.manager.idle();
    const sent = fake.creates().length;

    const restarted = await boot();
    expect(await restarted.manager.reconcile()).toBe(1);
    expect(fake.orders.size).toBe(sent);

    await fake.cancelExternally(`${p.id}-SL1`);
    await restarted.manager.reconcile();
    await until(async () => fake.orders.get(`${p.id}-SL2`)?.status === 'PENDING_TRIGGER', 'stop replaced');
    expect(
      new Set(
        fake
          .creates()
          .filter((o) => o.type === 'STOP_MARKET')
          .map((o) => o.clientOrderId),
      ),
    ).toEqual(new Set([`${p.id}-SL1`, `${p.id}-SL2`]));
    expect((await restarted.repo.getPosition(p.id))?.slClientOrderId).toBe(`${p.id}-SL2`);
    await restarted.manager.idle();
  });
  it('detector requests: open goes through the policies, close exits at market and cancels both protective orders', async () => {
    const req = {
      requestId: 'req-1',
      detectorKey: 'ema',
      symbol: 'BTCUSDT',
      side: 'SHORT' as const,
      connectorType: 'sim' as const,
      marketType: 'futures' as const,
      quantity: '0.02',
    };
    await bus.publish('DETECTOR_POSITION_OPEN_REQUEST', req, { correlationId: 'corr-req' });
    const open = await until(async () => {
      const p = (await core.repo.listPositions({ page: 1, limit: 10 })).items.find((x) => x.requestId === 'req-1');
      return p?.status === 'OPEN' && p;
    }, 'open short');
    // Default levels around the 60000 fill: stop 0.5 % above, target 2.5 % below.
    expect(open).toMatchObject({
      side: 'SHORT',
      stopLoss: '60300',
      takeProfit: '58500',
      detectorKey: 'ema',
      origin: 'detector',
    });
    await until(async () => fake.orders.get(`${open.id}-TP1`), 'tp resting');
    await fake.setPrice('BTCUSDT', '59000');
    await bus.publish('DETECTOR_POSITION_CLOSE_REQUEST', { ...req, requestId: 'req-2' }, { correlationId: 'corr-req' });
    const outcome = await until(async () => events('INSPECTOR_TRADE_OUTCOME')[0], 'outcome');
    expect(outcome.payload).toMatchObject({
      side: 'SHORT',
      pnl: '20',
      exitReason: 'detector_close',
      detectorKey: 'ema',
    });
    expect(outcome.correlationId).toBe('corr-req');
    expect(fake.orders.get(`${open.id}-SL1`)?.status).toBe('CANCELED');
    expect(fake.orders.get(`${open.id}-TP1`)?.status).toBe('CANCELED');
    expect(fake.creates().at(-1)).toMatchObject({
      type: 'MARKET',
      side: 'BUY',
      reduceOnly: true,
      quantity: '0.02',
      clientOrderId: `${open.id}-X2`,
    });
  });

  it('an entry the venue refuses is an INSPECTOR_ENTRY_FAILED event with the reason; the position fails', async () => {
    fake.failNext('reject');
    await publishIntent(10);
    const failed = await until(async () => events('INSPECTOR_ENTRY_FAILED')[0], 'entry failed event');
    const p = await positionOf(10);
    expect(failed.payload).toMatchObject({
      role: 'entry',
      code: 'ORDER_REJECTED',
      venueReason: 'WOULD_TRIGGER_IMMEDIATELY',
      reason: 'rejected by the venue',
      consequence: 'no position was opened',
      symbol: 'BTCUSDT',
      side: 'LONG',
      marketType: 'futures',
      positionId: p?.id,
      clientOrderId: p?.entryClientOrderId,
      intentId: 'int-10',
      decisionId: 'dec-10',
    });
    expect(failed.correlationId).toBe('corr-10');
    expect(p?.status).toBe('FAILED');
    expect(fake.creates()).toHaveLength(1);
  });

  it('a refused stop-loss is an INSPECTOR_PROTECTION_FAILED event, and the unprotected position is closed at market', async () => {
    fake.failNext('ok');
    fake.failNext('reject');
    await publishIntent(11);
    const failed = await until(async () => events('INSPECTOR_PROTECTION_FAILED')[0], 'protection failed event');
    const outcome = await until(async () => events('INSPECTOR_TRADE_OUTCOME')[0], 'outcome of the forced exit');
    const p = await positionOf(11);
    expect(failed.payload).toMatchObject({
      role: 'stop_loss',
      code: 'ORDER_REJECTED',
      venueReason: 'WOULD_TRIGGER_IMMEDIATELY',
      consequence: 'closing the position at market',
      positionId: p?.id,
      clientOrderId: `${p?.id}-SL1`,
      intentId: 'int-11',
    });
    expect(failed.correlationId).toBe('corr-11');
    expect(outcome.payload).toMatchObject({ exitReason: 'protection_rejected:sl', positionId: p?.id });
    expect(fake.creates().at(-1)).toMatchObject({ type: 'MARKET', side: 'SELL', clientOrderId: `${p?.id}-X2` });
  });

  it('a SHORT on spot without the base asset is declined before any order, with the reason as an event', async () => {
    await publishIntent(12, {
      side: 'SELL',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      quantity: '0.01',
      stopLoss: '61000',
      takeProfit: '58000',
    });
    const declined = await until(async () => events('INSPECTOR_ENTRY_DECLINED')[0], 'declined event');
    expect(declined.payload).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'SHORT',
      connectorType: 'sim',
      marketType: 'spot',
      action: 'BLOCK',
      policy: 'spotShort',
      quantity: '0.01',
      notional: '600',
      intentId: 'int-12',
      decisionId: 'dec-12',
    });
    expect(declined.payload.reason).toMatch(/0\.01 BTC needed, 0 free/);
    expect(declined.correlationId).toBe('corr-12');
    expect(fake.creates()).toHaveLength(0);
    expect(await positionOf(12)).toBeUndefined();
    // Declined once: a redelivery decides nothing again and announces nothing again.
    await publishIntent(12, { side: 'SELL', marketType: 'spot', quantity: '0.01' });
    await core.manager.idle();
    expect(events('INSPECTOR_ENTRY_DECLINED')).toHaveLength(1);
  });

  it('an entry worth less than the venue minimum is declined as minNotional; no order', async () => {
    await publishIntent(13, { symbol: 'DOGEUSDT', quantity: '10', entry: '0.1', stopLoss: '0.09', takeProfit: '0.12' });
    const declined = await until(async () => events('INSPECTOR_ENTRY_DECLINED')[0], 'declined event');
    expect(declined.payload).toMatchObject({
      symbol: 'DOGEUSDT',
      policy: 'minNotional',
      reason: expect.stringContaining('below the minimum notional 5'),
    });
    expect(fake.creates()).toHaveLength(0);
  });

  it('an entry on a venue whose account the provider will not show is declined with that reason, not retried in silence', async () => {
    await publishIntent(14, { connectorType: 'binance' });
    const declined = await until(async () => events('INSPECTOR_ENTRY_DECLINED')[0], 'declined event');
    expect(declined.payload).toMatchObject({
      connectorType: 'binance',
      policy: 'account',
      reason: 'the binance futures account cannot be read: NOT_FOUND: connector binance is not configured',
    });
    expect(fake.creates()).toHaveLength(0);
  });

  it('refuses a partial reduce explicitly and audits it', async () => {
    await bus.publish('DETECTOR_POSITION_REDUCE_REQUEST', {
      requestId: 'req-3',
      detectorKey: 'ema',
      symbol: 'BTCUSDT',
      side: 'LONG',
      connectorType: 'sim',
      marketType: 'futures',
      fraction: 0.5,
    });
    const audit = await until(
      async () => (await core.repo.listAudit({ page: 1, limit: 5 })).items.find((a) => a.requestId === 'req-3'),
      'audit',
    );
    expect(audit).toMatchObject({ action: 'BLOCK', policy: 'partialReduce', kind: 'exit' });
  });
});
