import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import request from 'supertest';
import type { InspectorApp } from './app';
import { createFakeProvider } from './testing/fake-provider';
import { testInspectorApp } from './testing/test-app';

describe('inspector REST', () => {
  let db: Database;
  let bus: MemoryBus;
  let app: InspectorApp;
  const auth = { authorization: 'Bearer secret-token' };

  beforeAll(async () => {
    db = await createTestPglite();
    bus = createMemoryBus();
    const { provider } = createFakeProvider(bus);
    app = await testInspectorApp({ db, bus, provider });
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await app.stop();
    await bus.close();
    await db.close();
  });

  it('serves /health without a token and everything else only with it', async () => {
    expect((await request(app.app).get('/health')).status).toBe(200);
    const denied = await request(app.app).get('/positions');
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBeDefined();
    expect((await request(app.app).get('/positions').set(auth)).body).toMatchObject({ items: [], total: 0, page: 1 });
  });

  it('validates policies on PUT (400 naming the field) and stores a new version', async () => {
    const bad = await request(app.app)
      .put('/policies')
      .set(auth)
      .send({ maxDrawdownPercent: '-3', noTradeWindows: [{ start: '25:00', end: '01:00' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['maxDrawdownPercent', 'noTradeWindows.0.start']),
    );
    const unknown = await request(app.app).put('/policies').set(auth).send({ maxDrawdown: 5 });
    expect(unknown.status).toBe(400);
    const ok = await request(app.app)
      .put('/policies')
      .set(auth)
      .send({
        policies: { maxDrawdownPercent: 7.5, noTradeWindows: [{ start: '13:30', end: '14:00', label: 'CPI' }] },
      });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      version: 2,
      policies: {
        maxDrawdownPercent: '7.5',
        maxTradesPerDay: 10,
        noTradeWindows: [{ start: '13:30', end: '14:00', label: 'CPI' }],
      },
    });
    // A later PUT changes only what it names.
    const more = await request(app.app).put('/policies').set(auth).send({ maxTradesPerDay: 12 });
    expect(more.body).toMatchObject({
      version: 3,
      policies: {
        maxDrawdownPercent: '7.5',
        maxTradesPerDay: 12,
        noTradeWindows: [{ start: '13:30', end: '14:00', label: 'CPI' }],
      },
    });
    expect((await request(app.app).put('/policies').set(auth).send('"nope"').type('json')).status).toBe(400);
    await request(app.app).put('/policies').set(auth).send({ maxTradesPerDay: 10 }).expect(200);
  });

  it('shows the dashboard under /inspector/risk/dashboard with limits and headroom', async () => {
    const res = await request(app.app).get('/inspector/risk/dashboard').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      risk: {
        available: true,
        equity: '100000',
        peakEquity: '100000',
        drawdownPct: '0',
        dailyPnl: '0',
        consecutiveLosses: 0,
        tradesToday: 0,
        headroom: { drawdownPct: '7.5', trades: 10 },
      },
      killSwitch: { active: false },
      policies: { maxDrawdownPercent: '7.5' },
    });
  });

  it('trips the kill switch manually and resets it, each audited', async () => {
    const trip = await request(app.app).post('/kill-switch').set(auth).send({ reason: 'operator halt' });
    expect(trip.body).toMatchObject({ active: true, reason: 'operator halt', closing: 0 });
    expect((await request(app.app).post('/kill-switch/reset').set(auth).send({ actor: 'ops' })).body).toMatchObject({
      active: false,
      actor: 'ops',
    });
    const audit = await request(app.app).get('/audit?limit=2').set(auth);
    expect(audit.body.items.map((a: { action: string; kind: string }) => [a.kind, a.action])).toEqual([
      ['kill_switch', 'ALLOW'],
      ['kill_switch', 'CLOSE_ALL'],
    ]);
    expect((await request(app.app).get('/audit?limit=0').set(auth)).status).toBe(400);
    // Each decision is counted once on /metrics, by kind, action and policy.
    const metrics = (await request(app.app).get('/metrics')).text;
    expect(metrics).toMatch(/bfx_inspector_decisions_total\{[^}]*kind="kill_switch"[^}]*action="CLOSE_ALL"[^}]*\} 1/);
    expect(metrics).toMatch(/bfx_inspector_decisions_total\{[^}]*kind="kill_switch"[^}]*action="ALLOW"[^}]*\} 1/);
  });

  it('refuses to reset a kill switch that is not active (409) and changes nothing: peak equity, loss streak and audit stay', async () => {
    const account = await app.core.account();
    // A peak above today's equity: the drawdown a needless reset would erase.
    await app.core.state.resetPeak(account.key, account.equity.plus(5000));
    const before = {
      state: app.core.state.state(),
      audit: (await request(app.app).get('/audit').set(auth)).body.total as number,
    };
    expect(before.state.killSwitch.active).toBe(false);

    const res = await request(app.app).post('/kill-switch/reset').set(auth).send({ actor: 'cron' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not active') });
    expect(app.core.state.state()).toEqual(before.state);
    expect((await request(app.app).get('/audit').set(auth)).body.total).toBe(before.audit);
    expect((await request(app.app).get('/kill-switch').set(auth)).body).toMatchObject({ active: false, actor: 'ops' });
    await app.core.state.resetPeak(account.key, account.equity);
  });

  it('lifts a per-symbol notional cap with null and restores a default the same way', async () => {
    const capped = await request(app.app)
      .put('/policies')
      .set(auth)
      .send({ maxPositionNotional: '1000', maxTradesPerDay: 3 })
      .expect(200);
    expect(capped.body.policies).toMatchObject({ maxPositionNotional: '1000', maxTradesPerDay: 3 });
    const lifted = await request(app.app)
      .put('/policies')
      .set(auth)
      .send({ maxPositionNotional: null, maxTradesPerDay: null })
      .expect(200);
    expect(lifted.body.policies).not.toHaveProperty('maxPositionNotional');
    expect(lifted.body.policies).toMatchObject({ maxTradesPerDay: 10, maxDrawdownPercent: '7.5' });
    expect((await request(app.app).get('/policies').set(auth)).body.policies).not.toHaveProperty('maxPositionNotional');
  });

  it('refuses a default take-profit of 100 % or more, which would put a short target at or below zero', async () => {
    const before = (await request(app.app).get('/policies').set(auth)).body;
    const bad = await request(app.app).put('/policies').set(auth).send({ takeProfitPercent: '100' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['takeProfitPercent']);
    expect((await request(app.app).get('/policies').set(auth)).body).toEqual(before);
    await request(app.app).put('/policies').set(auth).send({ takeProfitPercent: '99.5' }).expect(200);
  });
});
