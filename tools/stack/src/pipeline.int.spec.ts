// The money path end to end, as a user would watch it: provider (sim exchange) + detector +
// advisor + inspector on real NATS and PostgreSQL. A scripted price path makes the detector
// signal; the advisor decides and emits an execution intent; the inspector passes it through its
// policies, orders through the provider, protects the fill with stop-loss and take-profit; the
// price reaches the target and the trade outcome closes the chain. A Socket.IO client of the
// provider sees every step in order under one correlation id. Then a losing trade trips the
// drawdown kill switch: the detector stands down with the reason and nothing more is traded.
// The venue is the apps' default (no connector or market is set): detector, advisor and inspector
// agree on it, so every signal ends in a trade or in an event that says why not, never in silence;
// an intent the account cannot act on is declined before any order, on the WebSocket and in the sink.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createNatsBus } from '@barfinex/bus';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { connectProviderSocket, createProviderClient } from '@barfinex/sdk';
import type { ProviderClient, ProviderSocket } from '@barfinex/sdk';
import { createTestDatabase, deleteNatsStream, describeWithNats, eventually, freePort } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { startStack } from './stack';
import type { ProviderCall, RunningStack } from './stack';
import { storedHistory } from './test-history';

jest.setTimeout(300_000);

const MINUTE = 60_000;
const WATCHED: EventName[] = [
  'DETECTOR_SIGNAL_GENERATED',
  'ADVISOR_DECISION_RESPONSE',
  'ADVISOR_EXECUTION_INTENT_OPEN',
  'PROVIDER_ORDER_CREATE',
  'PROVIDER_ORDER_FILL',
  'INSPECTOR_TRADE_OUTCOME',
  'INSPECTOR_RISK_KILL_SWITCH',
  'INSPECTOR_RISK_LIMIT_BREACH',
  'INSPECTOR_ENTRY_DECLINED',
  'INSPECTOR_ENTRY_FAILED',
  'INSPECTOR_PROTECTION_FAILED',
];
type Any = EventEnvelope;
const POLICIES = { maxPositionPercent: '100', maxExposurePercent: '200', cooldownMs: 0, maxDrawdownPercent: '50' };

describeWithNats('the money path: signal → decision → risk gate → order → protection → outcome', () => {
  const run = randomBytes(4).toString('hex');
  const token = `pipeline-${run}`;
  let db: TestDatabase;
  let stack: RunningStack;
  let sdk: ProviderClient;
  let ws: ProviderSocket;
  let base: string;
  const seen: Any[] = [];
  /** Every call the apps made through their provider clients, in order. */
  const calls: ProviderCall[] = [];
  /**
   * What the advisor and the inspector asked over REST since `from` (an index into `calls`), by
   * method: the cost of one signal's chain. Registry presence (heartbeats) is not part of it.
   */
  const askedSince = (from: number): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const c of calls.slice(from)) {
      if ((c.app !== 'advisor' && c.app !== 'inspector') || c.method.startsWith('registry.') || c.method === 'close')
        continue;
      const key = `${c.app} ${c.method}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  /**
   * REST calls per approved signal before the apps listened to the bus, measured here: 16 for the
   * first signal (it also read the instrument list), 15 for a later one (advisor: candles, book,
   * ticker; inspector: ticker, the account three times, each order read back after its fill, a
   * GET before each protective order, three orders, one cancel). The chain must cost at most half.
   */
  const BEFORE = { first: 16, later: 15 };
  /** Only what an order or the account can answer is still asked: no order read back, no price or book. */
  const expectListening = (asked: Record<string, number>, before: number) => {
    const heard = [
      'inspector orders.get',
      'inspector market.ticker',
      'advisor market.ticker',
      'advisor market.orderBook',
    ];
    expect(Object.keys(asked).filter((k) => heard.includes(k))).toEqual([]);
    // Shaped so a failure prints what was asked.
    expect({ atMostHalf: total(asked) <= before / 2, total: total(asked), asked }).toEqual({
      atMostHalf: true,
      total: expect.any(Number),
      asked,
    });
  };

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
  };
  /** Prints a path on the futures market, one bar per price, and closes the bars. */
  const drive = async (prices: string[]) => {
    await sdk.sim.path({ symbol: 'BTCUSDT', marketType: 'futures', prices, intervalMs: MINUTE });
    await sdk.sim.step(prices.length * MINUTE);
  };
  const of = (correlationId: string) => seen.filter((e) => e.correlationId === correlationId);
  /** On a failed wait, what the chain did show: the event types and the decisive payloads. */
  const explain = (correlationId: string) => async (err: unknown) => {
    const pick = (p: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(p).filter(([k]) =>
          [
            'type',
            'status',
            'approved',
            'reason',
            'reasoning',
            'policy',
            'action',
            'direction',
            'side',
            'quantity',
            'entry',
            'stopLoss',
            'takeProfit',
          ].includes(k),
        ),
      );
    const chain = of(correlationId).map(
      (e) => `${e.type} ${JSON.stringify(pick(e.payload as Record<string, unknown>))}`,
    );
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\nchain ${correlationId}:\n${chain.join('\n')}`,
    );
  };
  /** The detector's view of the stream: bars seen and the signal it holds (runner state, updated with each bar). */
  const stream = async (): Promise<{ bars: number; signal?: { signalId: string; direction: string } }> => {
    const res = await api('/detectors/detector/detectors/ema-cross-atr');
    return (
      ((res.body['streams'] as { bars: number; signal?: { signalId: string; direction: string } }[] | undefined) ??
        [])[0] ?? { bars: 0 }
    );
  };
  /**
   * Walks bar by bar until the detector signals in `direction`, and stops there: the rest of the
   * chain then acts on that bar's price. Returns the signal's correlation id (its signal id).
   */
  const until = async (direction: 'LONG' | 'SHORT', prices: number[]): Promise<string> => {
    const start = await stream();
    const known = start.signal?.signalId;
    for (const price of prices) {
      const before = await stream();
      await drive([String(price)]);
      await eventually(async () => expect((await stream()).bars).toBeGreaterThan(before.bars), 30_000, 50);
      const after = await stream();
      if (after.signal && after.signal.signalId !== known && after.signal.direction === direction) {
        const id = after.signal.signalId;
        await eventually(() => expect(signals().some((x) => x.correlationId === id)).toBe(true), 30_000, 50);
        return id;
      }
    }
    throw new Error(`no ${direction} signal over ${prices.join(', ')}`);
  };
  /** The trigger price of the inspector's protective order of one kind in a chain. */
  const trigger = (cid: string, type: 'STOP_MARKET' | 'TAKE_PROFIT_MARKET'): number => {
    const created = of(cid)
      .filter((e): e is EventEnvelope<'PROVIDER_ORDER_CREATE'> => e.type === 'PROVIDER_ORDER_CREATE')
      .find((e) => e.payload.type === type);
    return Number(created?.payload.stopPrice);
  };
  /** Waits until the inspector's entry and both protective orders exist for the chain. */
  const protectedBy = async (cid: string) =>
    eventually(
      () => {
        const types = of(cid)
          .filter((e) => e.type === 'PROVIDER_ORDER_CREATE')
          .map((e) => (e as EventEnvelope<'PROVIDER_ORDER_CREATE'>).payload.type);
        expect(types).toEqual(expect.arrayContaining(['MARKET', 'STOP_MARKET', 'TAKE_PROFIT_MARKET']));
      },
      60_000,
      100,
    ).catch(explain(cid));
  const signals = () =>
    seen.filter((e): e is EventEnvelope<'DETECTOR_SIGNAL_GENERATED'> => e.type === 'DETECTOR_SIGNAL_GENERATED');
  /** How a signal's chain ended: its entry filled, or an event said why nothing was traded. */
  const settlement = (cid: string): string | undefined => {
    const chain = of(cid);
    if (chain.some((e) => e.type === 'PROVIDER_ORDER_FILL')) return 'traded';
    const refused = chain.find(
      (e) =>
        (e.type === 'ADVISOR_DECISION_RESPONSE' && (e.payload as { approved: boolean }).approved === false) ||
        e.type === 'INSPECTOR_ENTRY_DECLINED' ||
        e.type === 'INSPECTOR_ENTRY_FAILED',
    );
    return refused ? `${refused.type}: ${JSON.stringify(refused.payload).slice(0, 300)}` : undefined;
  };
  /** Never silence: every signal so far settled one way or the other. */
  const everySignalSettled = async () => {
    for (const s of signals())
      await eventually(
        () =>
          expect([s.payload.direction, settlement(s.correlationId ?? '')]).toEqual([
            s.payload.direction,
            expect.any(String),
          ]),
        60_000,
        100,
      ).catch(explain(s.correlationId ?? ''));
  };

  beforeAll(async () => {
    db = await createTestDatabase('bfx_pipeline');
    const [provider, detector, advisor, inspector, notifier] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    stack = await startStack({
      logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
      onProviderCall: (call) => void calls.push(call),
      env: {
        NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        NATS_SUBJECT_PREFIX: `bfxpipe${run}`,
        NATS_STREAM: `BFX_PIPE_${run}`,
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
        DETECTOR_DEFINITIONS: 'ema-cross-atr',
        DETECTOR_SYMBOLS: 'BTCUSDT',
        DETECTOR_INTERVALS: 'min1',
        DETECTOR_PARAMS: JSON.stringify({
          'ema-cross-atr': { fast: 3, slow: 6, atrPeriod: 3, stopAtr: 1, targetR: 1 },
        }),
        DETECTOR_HEARTBEAT_MS: '1s',
        ADVISOR_HEARTBEAT_MS: '1s',
        INSPECTOR_HEARTBEAT_MS: '1s',
        INSPECTOR_RECONCILE_MS: '1h',
      },
    });
    base = `http://127.0.0.1:${provider}`;
    sdk = createProviderClient({ baseUrl: base, token, timeoutMs: 15_000 });
    await sdk.sim.pause();
    await sdk.sim.setPrice({ symbol: 'BTCUSDT', marketType: 'futures', price: '60000' });

    // A young market: the advisor's data-quality gate is relaxed, and nothing throttles repeats.
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
        intent: { quantity: '0.1', ttlMs: 600_000 },
      }),
    });
    expect(advisorConfig.status).toBe(200);
    const policies = await api('/inspectors/inspector/policies', { method: 'PUT', body: JSON.stringify(POLICIES) });
    expect(policies.status).toBe(200);

    ws = connectProviderSocket({ baseUrl: base, token, events: WATCHED });
    for (const name of WATCHED) ws.on(name, (env) => void seen.push(env as Any));
    await ws.ready();

    // History: a steady decline, so the fast EMA sits under the slow one and nothing signals.
    await drive(Array.from({ length: 30 }, (_, i) => String(60000 - i * 50)));
    await storedHistory(sdk, 29);
  });

  afterAll(async () => {
    ws?.close();
    sdk?.close();
    await stack?.stop();
    await deleteNatsStream(`BFX_PIPE_${run}`);
    await db?.drop();
  });

  it('a rally becomes a protected long that closes at its target, every step under one correlation id', async () => {
    expect(signals()).toHaveLength(0);
    const mark = calls.length;
    const cid = await until('LONG', [58700, 59300, 59900, 60500, 61100]);
    const signal = signals().find((x) => x.correlationId === cid)!;
    expect(signal.payload).toMatchObject({ direction: 'LONG', strategy: 'ema-cross-atr' });

    // The entry fills at once (MARKET); stop-loss and take-profit then rest on the provider.
    await protectedBy(cid);
    // The inspector re-anchors the intent's levels on the actual fill; the resting orders are the truth.
    const takeProfit = trigger(cid, 'TAKE_PROFIT_MARKET');
    expect(takeProfit).toBeGreaterThan(trigger(cid, 'STOP_MARKET'));

    await sdk.sim.setPrice({ symbol: 'BTCUSDT', marketType: 'futures', price: String(Math.ceil(takeProfit + 100)) });
    await eventually(
      () => expect(of(cid).some((e) => e.type === 'INSPECTOR_TRADE_OUTCOME')).toBe(true),
      60_000,
      100,
    ).catch(async (err: unknown) => {
      const orders = (await sdk.orders.list({ limit: 10 })).data.map(
        (o) =>
          `${o.type} ${o.side} ${o.status} stop=${o.stopPrice ?? ''} avg=${o.averagePrice ?? ''} ${o.clientOrderId}`,
      );
      const status = await sdk.sim.status();
      await explain(cid)(
        new Error(
          `${err instanceof Error ? err.message : String(err)}\nsim ${JSON.stringify(status.prices)}\norders:\n${orders.join('\n')}`,
        ),
      );
    });
    const outcome = of(cid).find(
      (e): e is EventEnvelope<'INSPECTOR_TRADE_OUTCOME'> => e.type === 'INSPECTOR_TRADE_OUTCOME',
    );
    expect(Number(outcome?.payload.pnl)).toBeGreaterThan(0);

    // Every step arrived in causal order on the WebSocket, all under the signal's correlation id.
    const steps = of(cid).map((e) =>
      e.type === 'PROVIDER_ORDER_CREATE' || e.type === 'PROVIDER_ORDER_FILL'
        ? `${e.type}:${(e.payload as { type?: string; clientOrderId?: string }).type ?? ''}`
        : e.type,
    );
    const at = (step: string) => steps.findIndex((s) => s.startsWith(step));
    expect(at('DETECTOR_SIGNAL_GENERATED')).toBe(0);
    expect(at('ADVISOR_DECISION_RESPONSE')).toBeGreaterThan(at('DETECTOR_SIGNAL_GENERATED'));
    expect(at('ADVISOR_EXECUTION_INTENT_OPEN')).toBeGreaterThan(at('ADVISOR_DECISION_RESPONSE'));
    expect(at('PROVIDER_ORDER_CREATE:MARKET')).toBeGreaterThan(at('ADVISOR_EXECUTION_INTENT_OPEN'));
    expect(at('PROVIDER_ORDER_FILL')).toBeGreaterThan(at('PROVIDER_ORDER_CREATE:MARKET'));
    expect(at('PROVIDER_ORDER_CREATE:TAKE_PROFIT_MARKET')).toBeGreaterThan(at('PROVIDER_ORDER_FILL'));
    expect(at('INSPECTOR_TRADE_OUTCOME')).toBe(steps.length - 1);

    const position = await api('/inspectors/inspector/positions?limit=10');
    expect(JSON.stringify(position.body)).toContain('take_profit');
    const decisions = await api('/advisors/advisor/decisions?symbol=BTCUSDT');
    expect(decisions.status).toBe(200);
    // On the default venue the signal was executable: it traded, on the market the detector watched.
    expect(of(cid).find((e) => e.type === 'ADVISOR_EXECUTION_INTENT_OPEN')?.payload).toMatchObject({
      connectorType: 'sim',
      marketType: 'futures',
    });
    expect(settlement(cid)).toBe('traded');
    await everySignalSettled();
    expectListening(askedSince(mark), BEFORE.first);
  });

  it('an intent the account cannot act on (a spot short without the base asset) is declined before any order, with the reason on the WebSocket and in the event sink', async () => {
    const bus = await createNatsBus({
      servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      name: 'pipeline-test',
      subjectPrefix: `bfxpipe${run}`,
      streamName: `BFX_PIPE_${run}`,
    });
    const cid = `spot-short-${run}`;
    const ordersBefore = seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').length;
    try {
      // The sim's spot account starts with 1 BTC: selling 5 is a short spot cannot do.
      await bus.publish(
        'ADVISOR_EXECUTION_INTENT_OPEN',
        {
          intentId: cid,
          idempotencyKey: cid,
          symbol: 'BTCUSDT',
          side: 'SELL',
          quantity: '5',
          connectorType: 'sim',
          marketType: 'spot',
        },
        { correlationId: cid, key: 'pipeline-test' },
      );
    } finally {
      await bus.close();
    }
    await eventually(
      () => expect(of(cid).some((e) => e.type === 'INSPECTOR_ENTRY_DECLINED')).toBe(true),
      60_000,
      100,
    ).catch(explain(cid));
    const declined = of(cid).find(
      (e): e is EventEnvelope<'INSPECTOR_ENTRY_DECLINED'> => e.type === 'INSPECTOR_ENTRY_DECLINED',
    );
    expect(declined?.payload).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'SHORT',
      marketType: 'spot',
      action: 'BLOCK',
      policy: 'spotShort',
      intentId: cid,
      reason: expect.stringMatching(/5 BTC needed, [0-9.]+ free/),
    });
    expect(seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE')).toHaveLength(ordersBefore);

    await eventually(
      async () => {
        const sink = await api(`/eventsink?category=risk&search=${cid}&limit=20`);
        expect(
          (sink.body['data'] as { type: string; correlationId?: string }[]).filter(
            (r) => r.type === 'INSPECTOR_ENTRY_DECLINED',
          ),
        ).toEqual([expect.objectContaining({ correlationId: cid, eventType: 'risk.entry_declined' })]);
      },
      30_000,
      100,
    );
  });

  it('a losing trade trips the drawdown kill switch; the detector stands down with the reason and nothing more trades', async () => {
    // Only the drawdown limit tightens; the other policies stay as they were.
    expect(
      (
        await api('/inspectors/inspector/policies', {
          method: 'PUT',
          body: JSON.stringify({ maxDrawdownPercent: '0.05' }),
        })
      ).status,
    ).toBe(200);

    // A sharp drop: the fast EMA crosses under the slow one, a short opens and is protected.
    const mark = calls.length;
    const shortCid = await until('SHORT', [59500, 58500, 57500, 56500, 55500]);
    await protectedBy(shortCid);
    const stop = trigger(shortCid, 'STOP_MARKET');

    // The market turns through the stop: the loss exceeds the drawdown limit.
    await sdk.sim.setPrice({ symbol: 'BTCUSDT', marketType: 'futures', price: String(Math.ceil(stop + 200)) });
    await eventually(() => expect(seen.some((e) => e.type === 'INSPECTOR_RISK_KILL_SWITCH')).toBe(true), 60_000, 100);
    const outcome = of(shortCid).find(
      (e): e is EventEnvelope<'INSPECTOR_TRADE_OUTCOME'> => e.type === 'INSPECTOR_TRADE_OUTCOME',
    );
    expect(Number(outcome?.payload.pnl)).toBeLessThan(0);
    // The advisor's candles are warm by now: it asks nothing at all.
    const asked = askedSince(mark);
    expectListening(asked, BEFORE.later);
    expect(Object.keys(asked).filter((k) => k.startsWith('advisor'))).toEqual([]);

    // The kill switch reaches the detector too: it stands down with the reason, and the next signal
    // it computes on the rally is held back, so nothing new reaches the advisor or the inspector.
    const detectorView = async () =>
      (await api('/detectors/detector/detectors/ema-cross-atr')).body as {
        status: string;
        blocked: string | null;
        stats: { emitted: number };
      };
    await eventually(
      async () =>
        expect(await detectorView()).toMatchObject({
          status: 'blocked',
          blocked: expect.stringMatching(/kill switch|drawdown/i),
        }),
      30_000,
      100,
    );
    const emitted = (await detectorView()).stats.emitted;
    const ordersBefore = seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').length;
    for (const k of [1, 2, 3, 4]) {
      const before = (await stream()).bars;
      await drive([String(Math.ceil(stop + 800 * k))]);
      await eventually(async () => expect((await stream()).bars).toBeGreaterThan(before), 30_000, 50);
    }
    expect((await detectorView()).stats.emitted).toBe(emitted);
    expect(seen.filter((e) => e.type === 'PROVIDER_ORDER_CREATE')).toHaveLength(ordersBefore);
    const dashboard = await api('/inspectors/inspector/inspector/risk/dashboard');
    expect(dashboard.body).toMatchObject({ killSwitch: { active: true } });
    await everySignalSettled();
  });
});
