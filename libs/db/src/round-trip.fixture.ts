// Shared by the PGlite and PostgreSQL specs: writes every model with every column set, reads it
// back and compares. Passing on a freshly migrated database is the proof that the hand-written
// migration SQL and schema.prisma agree (a missing column, wrong type or lost precision fails).
import { decimalToString, isUniqueViolation } from './convert';
import type { PrismaClient } from './generated/prisma/client';

// 20 integer digits + 18 fraction digits: the full DECIMAL(38,18) range must survive exactly.
const WIDE = '12345678901234567890.123456789012345678';
const TINY = '0.000000000000000001';
const T0 = 1_763_942_400_000n;

type Row = Record<string, unknown>;

/** Decimal → canonical string, everything else as is, so rows compare with toEqual. */
export function plain(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v !== null && typeof v === 'object' && 'toFixed' in v ? decimalToString(v as never) : v,
    ]),
  );
}

export async function roundTripEveryModel(prisma: PrismaClient): Promise<void> {
  const instrument = {
    connectorType: 'sim',
    marketType: 'spot',
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    status: 'TRADING',
    tickSize: '0.01',
    stepSize: '0.00001',
    minPrice: '0.01',
    maxPrice: '1000000',
    minQuantity: TINY,
    maxQuantity: WIDE,
    minNotional: '5',
    pricePrecision: 2,
    quantityPrecision: 5,
    maxLeverage: 125,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    raw: { filters: [{ filterType: 'PRICE_FILTER' }] },
    updatedAt: T0,
  };
  const createdInstrument = await prisma.instrument.create({ data: instrument });
  const readInstrument = await prisma.instrument.findUniqueOrThrow({
    where: { connectorType_marketType_symbol: { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT' } },
  });
  expect(plain(readInstrument)).toEqual({ ...instrument, id: createdInstrument.id });

  const candles = [0n, 1n, 2n].map((i) => ({
    connectorType: 'sim',
    marketType: 'spot',
    symbol: 'BTCUSDT',
    interval: '1m',
    openTime: T0 + i * 60_000n,
    closeTime: T0 + i * 60_000n + 59_999n,
    open: '100.5',
    high: WIDE,
    low: TINY,
    close: '101',
    volume: '3.25',
    trades: 42,
    closed: i < 2n,
  }));
  await prisma.candle.createMany({ data: candles });
  const series = { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', interval: '1m' };
  const range = await prisma.candle.findMany({
    where: { ...series, openTime: { gte: T0 + 60_000n, lte: T0 + 120_000n } },
    orderBy: { openTime: 'asc' },
  });
  expect(range.map(plain)).toEqual(candles.slice(1));

  const order = {
    id: 'ord-1',
    clientOrderId: 'cid-1',
    idempotencyKey: 'idem-1',
    externalId: 'ex-1',
    connectorType: 'sim',
    marketType: 'futures',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'TRAILING_STOP_MARKET',
    status: 'PARTIALLY_FILLED',
    timeInForce: 'GTC',
    price: '100.1',
    stopPrice: '99.9',
    callbackRate: '0.5',
    quantity: '2',
    quantityExecuted: '1.5',
    averagePrice: WIDE,
    leverage: 10,
    reduceOnly: true,
    sourceType: 'detector',
    sourceKey: 'det-1',
    rejectReason: 'none',
    correlationId: 'corr-1',
    tokenId: 'tok-1',
    accountId: 'acc-2',
    createdAt: T0,
    updatedAt: T0 + 1n,
    closedAt: T0 + 2n,
    raw: { venue: { orderId: 7 } },
  };
  await prisma.order.create({ data: order });
  expect(plain(await prisma.order.findUniqueOrThrow({ where: { clientOrderId: 'cid-1' } }))).toEqual(order);
  const minimal = await prisma.order.create({
    data: {
      id: 'ord-2',
      clientOrderId: 'cid-2',
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'ETHUSDT',
      side: 'SELL',
      type: 'MARKET',
      status: 'NEW',
      quantity: '1',
      createdAt: T0,
      updatedAt: T0,
    },
  });
  expect(plain(minimal)).toMatchObject({
    accountId: 'main',
    quantityExecuted: '0',
    reduceOnly: false,
    raw: null,
    idempotencyKey: null,
    closedAt: null,
  });

  // The widest and the smallest DECIMAL(38,18) values come back exactly.
  const fill = {
    orderId: 'ord-1',
    tradeId: 't-1',
    price: WIDE,
    quantity: '1.5',
    fee: TINY,
    feeAsset: 'USDT',
    isMaker: true,
    time: T0 + 5n,
  };
  await prisma.fill.create({ data: fill });
  const withFills = await prisma.order.findUniqueOrThrow({ where: { id: 'ord-1' }, include: { fills: true } });
  expect(withFills.fills.map(plain)).toEqual([{ ...fill, id: expect.any(BigInt) }]);

  const kv = { key: 'sim.clock', value: { now: 1, nested: [1, 'two', null, true] }, updatedAt: T0 };
  await prisma.keyValue.create({ data: kv });
  expect(await prisma.keyValue.findUniqueOrThrow({ where: { key: 'sim.clock' } })).toEqual(kv);

  const part = {
    exchangeKey: 'sim:42',
    part: 'order:7',
    value: { id: '7', qty: WIDE, nested: [1, null, true] },
    updatedAt: T0,
  };
  await prisma.simStatePart.create({ data: part });
  await prisma.simStatePart.create({ data: { ...part, exchangeKey: 'sim:43' } });
  expect(
    await prisma.simStatePart.findUniqueOrThrow({
      where: { exchangeKey_part: { exchangeKey: 'sim:42', part: 'order:7' } },
    }),
  ).toEqual(part);
  const duplicatePart = await prisma.simStatePart.create({ data: part }).catch((e: unknown) => e);
  expect(isUniqueViolation(duplicatePart)).toBe(true);

  const app = {
    appType: 'detector',
    appKey: 'det-1',
    baseUrl: 'http://127.0.0.1:8083',
    name: 'Detector',
    version: '1.0.0',
    ip: '127.0.0.1',
    meta: { studioKey: 'k' },
    registeredAt: T0,
    lastHeartbeatAt: T0 + 10n,
    updatedAt: T0 + 10n,
    unregisteredAt: T0 + 20n,
    unregisterReason: 'shutdown',
  };
  await prisma.appRegistration.create({ data: app });
  const readApp = await prisma.appRegistration.findUniqueOrThrow({
    where: { appType_appKey: { appType: 'detector', appKey: 'det-1' } },
  });
  expect(readApp).toEqual({ ...app, id: expect.any(Number) });
  const defaults = await prisma.appRegistration.create({
    data: {
      appType: 'advisor',
      appKey: 'adv-1',
      baseUrl: 'http://x',
      registeredAt: T0,
      lastHeartbeatAt: T0,
      updatedAt: T0,
    },
  });
  expect(defaults.meta).toEqual({});

  const detector = {
    key: 'det-1',
    name: 'Detector',
    config: { symbols: ['BTCUSDT'] },
    createdAt: T0,
    updatedAt: T0,
    deletedAt: T0 + 1n,
  };
  await prisma.detectorConfig.create({ data: detector });
  expect(await prisma.detectorConfig.findUniqueOrThrow({ where: { key: 'det-1' } })).toEqual({
    ...detector,
    id: expect.any(Number),
  });

  const inspector = {
    sysname: 'risk-1',
    config: { maxDrawdown: '0.2' },
    createdAt: T0,
    updatedAt: T0,
    deletedAt: null,
  };
  await prisma.inspectorConfig.create({ data: inspector });
  expect(await prisma.inspectorConfig.findUniqueOrThrow({ where: { sysname: 'risk-1' } })).toEqual({
    ...inspector,
    id: expect.any(Number),
  });

  const event = {
    eventId: 'evt-1',
    type: 'PROVIDER_ORDER_CREATE',
    category: 'order',
    action: 'create',
    source: 'provider',
    symbol: 'BTCUSDT',
    connectorType: 'sim',
    marketType: 'spot',
    timestamp: T0,
    correlationId: 'corr-1',
    causationId: 'cause-1',
    replay: true,
    payload: { id: 'ord-1' },
    key: 'provider',
  };
  await prisma.sinkEvent.create({ data: event });
  expect(await prisma.sinkEvent.findUniqueOrThrow({ where: { eventId: 'evt-1' } })).toEqual({
    ...event,
    id: expect.any(BigInt),
  });

  const outboxed = {
    eventId: 'evt-2',
    envelope: JSON.stringify({ eventId: 'evt-2', payload: { price: WIDE } }),
    createdAt: T0,
  };
  const outboxRow = await prisma.eventOutbox.create({ data: outboxed });
  const laterRow = await prisma.eventOutbox.create({ data: { ...outboxed, eventId: 'evt-3' } });
  expect(laterRow.seq).toBeGreaterThan(outboxRow.seq);
  expect(await prisma.eventOutbox.findUniqueOrThrow({ where: { eventId: 'evt-2' } })).toEqual({
    ...outboxed,
    seq: outboxRow.seq,
  });

  const quarantined = {
    app: 'provider',
    source: 'sim_state_parts',
    recordKey: 'sim:1/market:spot:SOLUSDT',
    reason: 'highTicks',
    value: { ticker: { count: 1 } },
    quarantinedAt: T0,
  };
  const quarantinedRow = await prisma.quarantinedRecord.create({ data: quarantined });
  expect(await prisma.quarantinedRecord.findUniqueOrThrow({ where: { id: quarantinedRow.id } })).toEqual({
    ...quarantined,
    id: quarantinedRow.id,
  });

  const subscription = {
    id: 'wh-1',
    appKey: 'notifier',
    url: 'https://hooks.example.com/x',
    events: ['order'],
    symbols: ['BTCUSDT'],
    secret: 's3cret',
    enabled: true,
    description: 'fills',
    pausedReason: 'HTTP 500 x 20',
    consecutiveFailures: 3,
    createdAt: T0,
    updatedAt: T0 + 1n,
  };
  await prisma.webhookSubscription.create({ data: subscription });
  expect(await prisma.webhookSubscription.findUniqueOrThrow({ where: { id: 'wh-1' } })).toEqual(subscription);
  const delivery = {
    id: 'dlv-1',
    subscriptionId: 'wh-1',
    eventId: 'evt-9',
    eventName: 'PROVIDER_ORDER_FILL',
    envelope: '{}',
    status: 'delivered',
    attempts: 2,
    responseCode: 204,
    latencyMs: 12,
    lastError: 'timeout',
    nextAttemptAt: T0,
    createdAt: T0,
    deliveredAt: T0 + 5n,
  };
  const deliveryRow = await prisma.webhookDelivery.create({ data: delivery });
  expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: 'dlv-1' } })).toEqual({
    ...delivery,
    seq: deliveryRow.seq,
  });
  const chat = {
    chatId: '-100123',
    appKey: 'notifier',
    title: 'desk',
    language: 'ru',
    events: ['signal'],
    symbols: [],
    quietFrom: 1320,
    quietTo: 420,
    digestMinutes: 60,
    timeZone: 'Europe/Moscow',
    authorised: true,
    enabled: true,
    createdAt: T0,
    updatedAt: T0,
  };
  await prisma.telegramChat.create({ data: chat });
  expect(await prisma.telegramChat.findUniqueOrThrow({ where: { chatId: '-100123' } })).toEqual(chat);
  const message = {
    chatId: '-100123',
    eventId: 'evt-9',
    eventName: 'PROVIDER_ORDER_FILL',
    text: 'filled',
    status: 'sent',
    attempts: 1,
    lastError: 'none',
    nextAttemptAt: T0,
    createdAt: T0,
    sentAt: T0 + 1n,
  };
  const messageRow = await prisma.telegramMessage.create({ data: message });
  expect(await prisma.telegramMessage.findUniqueOrThrow({ where: { seq: messageRow.seq } })).toEqual({
    ...message,
    seq: messageRow.seq,
  });
  const hook = {
    id: 'hk-1',
    name: 'tv',
    secret: 'k',
    symbolMap: { 'BINANCE:BTCUSDT.P': { connectorType: 'binance', marketType: 'futures', symbol: 'BTCUSDT' } },
    connectorType: 'sim',
    marketType: 'futures',
    mode: 'live',
    enabled: true,
    ratePerMinute: 60,
    dedupWindowMs: 300_000,
    replayWindowMs: 300_000,
    createdAt: T0,
    updatedAt: T0,
  };
  await prisma.inboundHook.create({ data: hook });
  expect(await prisma.inboundHook.findUniqueOrThrow({ where: { name: 'tv' } })).toEqual(hook);
  const alert = {
    hookId: 'hk-1',
    status: 'rejected',
    code: 'UNMAPPED_SYMBOL',
    reason: 'no mapping',
    dedupKey: 'd1',
    signalId: 'sig-1',
    correlationId: 'corr-1',
    body: '{}',
    receivedAt: T0,
  };
  const alertRow = await prisma.inboundHookAlert.create({ data: alert });
  expect(await prisma.inboundHookAlert.findUniqueOrThrow({ where: { id: alertRow.id } })).toEqual({
    ...alert,
    id: alertRow.id,
  });

  const token = {
    id: 'tok-1',
    name: 'notebook',
    secretHash: 'ab'.repeat(32),
    scopes: ['read'],
    restrict: { symbols: ['BTCUSDT'] },
    createdAt: T0,
    createdBy: 'bootstrap',
    expiresAt: T0 + 1n,
    lastUsedAt: T0,
    revokedAt: T0 + 2n,
  };
  await prisma.apiToken.create({ data: token });
  expect(plain(await prisma.apiToken.findUniqueOrThrow({ where: { secretHash: token.secretHash } }))).toEqual(token);
  const audit = {
    at: T0,
    tokenId: 'tok-1',
    tokenName: 'notebook',
    method: 'POST',
    route: 'POST /orders',
    operationId: 'placeOrder',
    path: '/orders',
    targetIds: { symbol: 'BTCUSDT' },
    bodyDigest: 'cd'.repeat(32),
    status: 403,
    outcome: 'denied',
    correlationId: 'corr-1',
    clientAddress: '127.0.0.1',
  };
  const auditRow = await prisma.auditRecord.create({ data: audit });
  expect(plain(await prisma.auditRecord.findUniqueOrThrow({ where: { id: auditRow.id } }))).toEqual({
    ...audit,
    id: auditRow.id,
  });

  const backtest = {
    id: 'bt-1',
    state: 'finished',
    detector: 'ema-cross-atr',
    params: { fast: 9 },
    symbol: 'BTCUSDT',
    interval: 'min1',
    source: { type: 'synthetic', seed: 1 },
    request: { detector: 'ema-cross' },
    initialBalance: WIDE,
    processed: 10,
    total: 10,
    metrics: { netPnl: '1.5' },
    error: 'none',
    createdAt: T0,
    startedAt: T0,
    finishedAt: T0,
  };
  const trade = {
    backtestId: 'bt-1',
    seq: 0,
    side: 'LONG',
    quantity: TINY,
    entryTime: T0,
    entryPrice: '60000.5',
    exitTime: T0 + 60_000n,
    exitPrice: '60100',
    pnl: '-0.000000000000000001',
    fees: '0.06',
    exitReason: 'stop',
    signalId: 'sig-1',
  };
  await prisma.backtest.create({ data: { ...backtest, trades: { create: [{ ...trade, backtestId: undefined }] } } });
  const readBacktest = await prisma.backtest.findUniqueOrThrow({ where: { id: 'bt-1' }, include: { trades: true } });
  expect({ ...plain(readBacktest), trades: readBacktest.trades.map(plain) }).toEqual({ ...backtest, trades: [trade] });

  const optimization = {
    id: 'opt-1',
    state: 'running',
    detector: 'ema-cross-atr',
    symbols: ['BTCUSDT'],
    interval: 'min1',
    objective: 'sharpe',
    method: 'tpe',
    request: { detector: 'ema-cross' },
    done: 1,
    total: 10,
    best: { score: 1.5 },
    result: { headline: null },
    error: 'none',
    createdAt: T0,
    startedAt: T0,
    finishedAt: T0,
  };
  const trial = {
    optimizationId: 'opt-1',
    fold: 0,
    role: 'search',
    seq: 0,
    params: { fast: 5 },
    score: { score: 1.5 },
    stats: { bars: 10 },
    error: 'none',
    createdAt: T0,
  };
  await prisma.optimization.create({
    data: { ...optimization, trials: { create: [{ ...trial, optimizationId: undefined }] } },
  });
  const readOptimization = await prisma.optimization.findUniqueOrThrow({
    where: { id: 'opt-1' },
    include: { trials: true },
  });
  expect({ ...plain(readOptimization), trials: readOptimization.trials.map(plain) }).toEqual({
    ...optimization,
    trials: [trial],
  });
}

/** The constraints idempotency rests on: a client order id or an event id is stored once. */
export async function assertUniqueness(prisma: PrismaClient): Promise<void> {
  const base = {
    connectorType: 'sim',
    marketType: 'spot',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    status: 'NEW',
    quantity: '1',
    createdAt: T0,
    updatedAt: T0,
  };
  await prisma.order.create({ data: { ...base, id: 'u-1', clientOrderId: 'same', idempotencyKey: 'k' } });
  const duplicateClientId = await prisma.order
    .create({ data: { ...base, id: 'u-2', clientOrderId: 'same' } })
    .catch((e: unknown) => e);
  expect(isUniqueViolation(duplicateClientId, 'clientOrderId')).toBe(true);
  expect(isUniqueViolation(duplicateClientId, 'idempotencyKey')).toBe(false);
  const duplicateKey = await prisma.order
    .create({ data: { ...base, id: 'u-3', clientOrderId: 'other', idempotencyKey: 'k' } })
    .catch((e: unknown) => e);
  expect(isUniqueViolation(duplicateKey, 'idempotencyKey')).toBe(true);
  // NULL idempotency keys never collide.
  await prisma.order.create({ data: { ...base, id: 'u-4', clientOrderId: 'n1' } });
  await prisma.order.create({ data: { ...base, id: 'u-5', clientOrderId: 'n2' } });

  const event = {
    type: 'PROVIDER_ORDER_CREATE',
    category: 'order',
    action: 'create',
    source: 'provider',
    timestamp: T0,
    payload: {},
  };
  await prisma.sinkEvent.create({ data: { ...event, eventId: 'dup' } });
  const duplicateEvent = await prisma.sinkEvent.create({ data: { ...event, eventId: 'dup' } }).catch((e: unknown) => e);
  expect(isUniqueViolation(duplicateEvent, 'eventId')).toBe(true);
  // The sink writes batches with skipDuplicates, so a re-delivered batch is stored once.
  const batch = [
    { ...event, eventId: 'b1' },
    { ...event, eventId: 'b2' },
    { ...event, eventId: 'dup' },
  ];
  expect((await prisma.sinkEvent.createMany({ data: batch, skipDuplicates: true })).count).toBe(2);
  expect((await prisma.sinkEvent.createMany({ data: batch, skipDuplicates: true })).count).toBe(0);
  expect(await prisma.sinkEvent.count({ where: { eventId: { in: ['dup', 'b1', 'b2'] } } })).toBe(3);

  // An event waits in the outbox once, however often its hand-over is retried.
  await prisma.eventOutbox.create({ data: { eventId: 'dup', envelope: '{}', createdAt: T0 } });
  const duplicateOutboxed = await prisma.eventOutbox
    .create({ data: { eventId: 'dup', envelope: '{}', createdAt: T0 } })
    .catch((e: unknown) => e);
  expect(isUniqueViolation(duplicateOutboxed, 'eventId')).toBe(true);

  await prisma.fill.create({ data: { orderId: 'u-1', tradeId: 't', price: '1', quantity: '1', time: T0 } });
  const duplicateFill = await prisma.fill
    .create({ data: { orderId: 'u-1', tradeId: 't', price: '1', quantity: '1', time: T0 } })
    .catch((e: unknown) => e);
  expect(isUniqueViolation(duplicateFill)).toBe(true);
  const orphanFill = await prisma.fill
    .create({ data: { orderId: 'missing', tradeId: 't', price: '1', quantity: '1', time: T0 } })
    .catch((e: unknown) => e);
  expect(orphanFill).toMatchObject({ code: 'P2003' });
}
