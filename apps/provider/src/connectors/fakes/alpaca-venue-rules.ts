/**
 * What Alpaca accepts on `POST /v2/orders`, as its docs state it (docs.alpaca.markets, read
 * 2026-12): "Crypto Orders" (page updated 2025-09-24): order types `market`, `limit` and
 * `stop_limit`, `time_in_force` `gtc` and `ioc`; "Orders at Alpaca" for US equities: types `market`,
 * `limit`, `stop`, `stop_limit`, `trailing_stop`, time in force `day`, `gtc`, `opg`, `cls`, `ioc`,
 * `fok`. Neither asset class has a post-only (maker-only) order.
 */
export const ALPACA_RULES = {
  crypto: { types: ['market', 'limit', 'stop_limit'], timeInForce: ['gtc', 'ioc'] },
  us_equity: {
    types: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'],
    timeInForce: ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'],
  },
} as const;

export type AlpacaAssetClass = keyof typeof ALPACA_RULES;

export const alpacaAssetClassOf = (symbol: string): AlpacaAssetClass => (symbol.includes('/') ? 'crypto' : 'us_equity');
