/** `GET /api/v3/depth?symbol=BTCUSDT&limit=5` */
export const DEPTH_SNAPSHOT = {
  lastUpdateId: 1027024,
  bids: [
    ['94999.99', '1.20000000'],
    ['94999.50', '0.50000000'],
  ],
  asks: [
    ['95000.01', '0.80000000'],
    ['95000.50', '2.00000000'],
  ],
};

export function depthUpdate(
  symbol: string,
  U: number,
  u: number,
  bids: Array<[string, string]>,
  asks: Array<[string, string]>,
  pu?: number,
) {
  return {
    e: 'depthUpdate' as const,
    E: 1_767_225_601_000 + u,
    s: symbol,
    U,
    u,
    ...(pu !== undefined ? { T: 1_767_225_601_000 + u, pu } : {}),
    b: bids,
    a: asks,
  };
}

export function aggTrade(symbol: string, id: number, price: string, qty: string, buyerIsMaker: boolean) {
  return {
    e: 'aggTrade',
    E: 1_767_225_601_000 + id,
    s: symbol,
    a: id,
    p: price,
    q: qty,
    f: id * 10,
    l: id * 10 + 1,
    T: 1_767_225_601_000 + id,
    m: buyerIsMaker,
    M: true,
  };
}

export function ticker(symbol: string, last: string) {
  return {
    e: '24hrTicker',
    E: 1_767_225_601_500,
    s: symbol,
    p: '250.00',
    P: '0.264',
    w: '94810.12',
    x: '94750.00',
    c: last,
    Q: '0.010',
    b: '94999.99',
    B: '1.2',
    a: '95000.01',
    A: '0.8',
    o: '94750.00',
    h: '95400.00',
    l: '94200.00',
    v: '18234.551',
    q: '1728801234.55',
    O: 1_767_139_201_500,
    C: 1_767_225_601_500,
    F: 4_100_000_000,
    L: 4_101_500_000,
    n: 1_500_001,
  };
}

/** A kline row: [openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, ignore]. */
export function kline(openTime: number, intervalMs: number, close: string) {
  return [
    openTime,
    close,
    close,
    close,
    close,
    '12.5',
    openTime + intervalMs - 1,
    '1187500.0',
    42,
    '6.1',
    '579500.0',
    '0',
  ];
}
