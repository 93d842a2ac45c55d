// An outside signal takes the same path as every signal: a TradingView-format alert posted to an
// inbound hook becomes a signal of the hook's virtual detector, an advisor decision, an inspector
// verdict and a sim order, all under one correlation id (watched on the provider's WebSocket as a
// user would); the same alert again places nothing; with the kill switch on it places nothing and
// the hook's log says why, in the inspector's words. Real NATS and PostgreSQL.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { connectProviderSocket, createProviderClient } from '@barfinex/sdk';
import type { ProviderClient, ProviderSocket } from '@barfinex/sdk';
import { createTestDatabase, deleteNatsStream, describeWithNats, eventually, freePort } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { startStack } from './stack';
import type { RunningStack } from './stack';
import { storedHistory } from './test-history';

jest.setTimeout(240_000);

const MINUTE = 60_000;
const WATCHED: EventName[] = [
  'DETECTOR_SIGNAL_GENERATED',
  'ADVISOR_DECISION_RESPONSE',
  'ADVISOR_EXECUTION_INTENT_OPEN',
  'INSPECTOR_RISK_LIMIT_BREACH',
  'INSPECTOR_ENTRY_DECLINED',
  'PROVIDER_ORDER_CREATE',
  'PROVIDER_ORDER_FILL',
];
const HOOK_SECRET = 'tradingview-secret-0123';

describeWithNats('a TradingView alert through the risk gate', () => {
  const run = randomBytes(4).toString('hex');
  const token = `hooks-${run}`;
  let db: TestDatabase;
  let stack: RunningStack;
  let sdk: ProviderClient;
  let ws: ProviderSocket;
  let base: string;
  let hookId = '';
  const seen: EventEnvelope[] = [];
  const of = (cid: string) => seen.filter((e) => e.correlationId === cid);

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field and checked by matchers
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  };
  /** What TradingView posts for a strategy alert whose message is this JSON (placeholders filled in). */
  const alert = (price: number, id: string) =>
    fetch(`${base}/api/hooks/${hookId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        secret: HOOK_SECRET,
        ticker: 'BTCUSDT.P',
        exchange: 'BINANCE',
        action: 'buy',
        price: String(price),
        stop: String(price - 600),
        target: String(price + 1200),
        time: new Date().toISOString(),
        id,
      }),
    }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as { status: string; correlationId: string; signalId: string },
    }));

  beforeAll(async () => {
    db = await createTestDatabase('bfx_hooks');
    const [provider, detector, advisor, inspector, notifier] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    stack = await startStack({
      logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
      env: {
        NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        NATS_SUBJECT_PREFIX: `bfxhooks${run}`,
        NATS_STREAM: `BFX_HOOKS_${run}`,
        DATABASE_URL: db.url,
        PROVIDER_API_TOKEN: token,
        PROVIDER_PORT: String(provider),
        PROVIDER_HOST: '127.0.0.1',
        DETECTOR_PORT: String(detector),
        ADVISOR_PORT: String(advisor),
        INSPECTOR_PORT: String(inspector),
        NOTIFIER_PORT: String(notifier),
        SIM_SYMBOLS: 'BTCUSDT',
        SIM_AUTOSTART: 'false',
        CANDLE_FLUSH_MS: '100ms',
        // The built-in detector watches another symbol: every signal here comes from the hook.
        DETECTOR_SYMBOLS: 'ETHUSDT',
        INSPECTOR_RECONCILE_MS: '1h',
      },
    });
    base = `http://127.0.0.1:${provider}`;
    sdk = createProviderClient({ baseUrl: base, token, timeoutMs: 15_000 });
    await sdk.sim.pause();
    await sdk.sim.setPrice({ symbol: 'BTCUSDT', marketType: 'futures', price: '60000' });
    const advisorConfig = await api('/advisors/advisor/pipeline/config', {
      method: 'PUT',
      body: JSON.stringify({
        dataQuality: {
          minCandles: 5,
          maxMissingBars: 10_000,
          maxStalenessMs: 86_400_000,
          requireOrderBook: false,
          maxSpreadPct: '5',
        },
        scoring: { fastPeriod: 2, slowPeriod: 3, rsiPeriod: 2, atrPeriod: 2, maxAtrPct: 100 },
        conviction: { minConfidence: 0 },
        execution: { maxSpreadPct: '5', minRiskReward: '0.5' },
        throttle: { cooldownMs: 0, dedupWindowMs: 0 },
        intent: { quantity: '0.01', ttlMs: 600_000 },
      }),
    });
    expect(advisorConfig.status).toBe(200);
    expect(
      (
        await api('/inspectors/inspector/policies', {
          method: 'PUT',
          body: JSON.stringify({ maxPositionPercent: '100', maxExposurePercent: '200', cooldownMs: 0 }),
        })
      ).status,
    ).toBe(200);
    // Some history for the advisor's market view.
    await sdk.sim.path({
      symbol: 'BTCUSDT',
      marketType: 'futures',
      prices: Array.from({ length: 20 }, (_, i) => String(59800 + i * 10)),
      intervalMs: MINUTE,
    });
    await sdk.sim.step(20 * MINUTE);
    await storedHistory(sdk, 19);

    ws = connectProviderSocket({ baseUrl: base, token, events: WATCHED });
    for (const name of WATCHED) ws.on(name, (env) => void seen.push(env as EventEnvelope));
    await ws.ready();

    const hook = await api('/inbound-hooks', {
      method: 'POST',
      body: JSON.stringify({
        name: 'tv',
        secret: HOOK_SECRET,
        symbolMap: { 'BINANCE:BTCUSDT.P': { connectorType: 'sim', marketType: 'futures', symbol: 'BTCUSDT' } },
      }),
    });
    expect(hook.status).toBe(201);
    hookId = hook.body['id'] as string;
  });

  afterAll(async () => {
    ws?.close();
    sdk?.close();
    await stack?.stop();
    await deleteNatsStream(`BFX_HOOKS_${run}`);
    await db?.drop();
  });

  it('becomes a signal, a decision, a verdict and a sim order under one correlation id; the same alert again places nothing', async () => {
    const first = await alert(60000, 'tv-alert-1');
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const cid = first.body.correlationId;
    await eventually(() => expect(of(cid).some((e) => e.type === 'PROVIDER_ORDER_FILL')).toBe(true), 60_000, 100).catch(
      (err: unknown) => {
        throw new Error(
          `${String(err)}\n${of(cid)
            .map((e) => `${e.type} ${JSON.stringify(e.payload).slice(0, 200)}`)
            .join('\n')}`,
        );
      },
    );
    const types = of(cid).map((e) => e.type);
    expect(types.slice(0, 3)).toEqual([
      'DETECTOR_SIGNAL_GENERATED',
      'ADVISOR_DECISION_RESPONSE',
      'ADVISOR_EXECUTION_INTENT_OPEN',
    ]);
    expect(of(cid)[0]?.payload).toMatchObject({
      detectorKey: 'hook-tv',
      signalId: first.body.signalId,
      symbol: 'BTCUSDT',
      direction: 'LONG',
    });
    expect(of(cid).find((e) => e.type === 'PROVIDER_ORDER_CREATE')?.payload).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      connectorType: 'sim',
      marketType: 'futures',
    });
    // The inspector's verdict, in its audit trail, on the same correlation id.
    const audit = await api('/inspectors/inspector/audit?symbol=BTCUSDT&limit=50');
    expect(
      (audit.body['items'] as { correlationId?: string; action: string }[]).find((a) => a.correlationId === cid),
    ).toMatchObject({ action: 'ALLOW' });
    await eventually(
      async () =>
        expect((await api(`/inbound-hooks/${hookId}/alerts?limit=1`)).body['data'][0]).toMatchObject({
          status: 'accepted',
          code: 'ORDER_PLACED',
          correlationId: cid,
        }),
      30_000,
      100,
    );

    // The inspector protects the fill (stop-loss, take-profit) on the same correlation id.
    await eventually(
      () => expect(of(cid).filter((e) => e.type === 'PROVIDER_ORDER_CREATE')).toHaveLength(3),
      30_000,
      100,
    );
    const ordersBefore = seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').length;
    const again = await alert(60000, 'tv-alert-1');
    expect(again.body).toMatchObject({ status: 'duplicate', correlationId: cid, signalId: first.body.signalId });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen.filter((e) => e.type === 'DETECTOR_SIGNAL_GENERATED')).toHaveLength(1);
    expect(seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').length).toBe(ordersBefore);
  });

  it('with the kill switch on, the alert places nothing and its log entry says why', async () => {
    expect(
      (
        await api('/inspectors/inspector/kill-switch', {
          method: 'POST',
          body: JSON.stringify({ reason: 'desk halt for the test' }),
        })
      ).status,
    ).toBe(200);
    const ordersBefore = seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').length;
    const halted = await alert(60100, 'tv-alert-2');
    expect(halted.body.status).toBe('accepted');
    const cid = halted.body.correlationId;
    await eventually(
      async () => {
        const entry = (await api(`/inbound-hooks/${hookId}/alerts?limit=1`)).body['data'][0];
        // The inspector's block (INSPECTOR_RISK_LIMIT_BREACH) and its declined entry both carry the reason.
        expect(entry).toMatchObject({
          correlationId: cid,
          code: expect.stringMatching(/^(RISK_BLOCKED|ENTRY_DECLINED)$/),
          reason: expect.stringContaining('kill switch active: desk halt for the test'),
        });
      },
      60_000,
      100,
    );
    // The hook's log and this WebSocket client hear of the block separately: the log can be first.
    await eventually(
      () =>
        expect(of(cid).find((e) => e.type === 'INSPECTOR_RISK_LIMIT_BREACH')?.payload).toMatchObject({
          action: 'BLOCK',
          reason: expect.stringContaining('kill switch active'),
        }),
      10_000,
      50,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(of(cid).some((e) => e.type === 'PROVIDER_ORDER_CREATE')).toBe(false);
    // Tripping the switch closes the open position: the only orders since are reduce-only exits.
    const since = seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').slice(ordersBefore);
    expect(since.map((e) => (e.payload as { reduceOnly?: boolean }).reduceOnly)).toEqual(since.map(() => true));
  });
});
