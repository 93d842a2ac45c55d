import { z } from 'zod';
import {
  envBool,
  envDurationMs,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  envUrl,
  parseConfig,
} from '@barfinex/service-kit';
import type { Env } from '@barfinex/service-kit';

const HTTP = { protocols: ['http', 'https'] };
const WS = { protocols: ['ws', 'wss'] };

/** Every environment variable the provider reads; `.env.example` documents the same names. */
export const ProviderConfigSchema = z.object({
  PROVIDER_PORT: envPort(8080),
  PROVIDER_HOST: envString('0.0.0.0'),
  PROVIDER_API_TOKEN: envString().optional(),
  /** The built Studio (apps/studio/dist when unset). */
  PROVIDER_STUDIO_DIR: envString().optional(),
  PROVIDER_KEY: envString('provider'),
  /** Requests a second per named token (0: no limit), and the burst it may spend at once; past it 429 with Retry-After. */
  PROVIDER_TOKEN_RATE_PER_SEC: envInt(200, { min: 0 }),
  PROVIDER_TOKEN_RATE_BURST: envInt(400, { min: 1 }),
  /** Also meter PROVIDER_API_TOKEN (the bootstrap admin credential), exempt by default. */
  PROVIDER_RATE_LIMIT_BOOTSTRAP: envBool(false),
  /** Failed authentications one client address may make per window before it is refused (429) for the rest of it; 0: never. */
  PROVIDER_AUTH_MAX_FAILURES: envInt(50, { min: 0 }),
  PROVIDER_AUTH_FAILURE_WINDOW_MS: envDurationMs(60_000),
  /** How often the token cache is reloaded: the backstop for a revocation announcement an instance missed. */
  PROVIDER_TOKEN_REFRESH_MS: envDurationMs(30_000),
  /**
   * Declared app tokens for deployments without npm start (compose): `detector=<secret>,advisor=<secret>,inspector=<secret>`.
   * Each becomes the token `app:<name>` with that app's least-privilege scopes; give the app the same
   * secret as its PROVIDER_API_TOKEN. Secrets are at least 24 characters.
   */
  PROVIDER_APP_TOKENS: envList([]).refine(
    (items) => items.every((item) => /^[a-z]+=\S{24,}$/.test(item)),
    'expected app=secret pairs (secret: 24 or more characters), comma-separated',
  ),
  /** How often buffered audit records are written. */
  AUDIT_FLUSH_MS: envDurationMs(200),
  DATABASE_URL: envString('pglite:./data/pglite'),
  NATS_URL: envString().optional(),
  /** Every app of one deployment must use the same prefix and stream (tests use run-scoped ones). */
  NATS_SUBJECT_PREFIX: envString('bfx'),
  NATS_STREAM: envString('BFX_EVENTS'),
  CORS_ORIGINS: envList(['*']),
  LOG_LEVEL: envLogLevel('info'),
  LOG_PRETTY: envBool(false),
  SIM_SEED: envInt(42),
  SIM_SYMBOLS: envList(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']),
  SIM_TICK_MS: envDurationMs(250),
  SIM_AUTOSTART: envBool(true),
  /** Real venues: a market is enabled by listing its symbols; keys come only from the environment. */
  BINANCE_API_KEY: envString().optional(),
  BINANCE_API_SECRET: envString().optional(),
  BINANCE_SPOT_SYMBOLS: envList([]),
  BINANCE_FUTURES_SYMBOLS: envList([]),
  TESTNET_BINANCE_SPOT_API_KEY: envString().optional(),
  TESTNET_BINANCE_SPOT_API_SECRET: envString().optional(),
  TESTNET_BINANCE_SPOT_SYMBOLS: envList([]),
  TESTNET_BINANCE_FUTURES_API_KEY: envString().optional(),
  TESTNET_BINANCE_FUTURES_API_SECRET: envString().optional(),
  TESTNET_BINANCE_FUTURES_SYMBOLS: envList([]),
  BINANCE_RECV_WINDOW_MS: envDurationMs(5000),
  ALPACA_KEY_ID: envString().optional(),
  ALPACA_SECRET_KEY: envString().optional(),
  /** Paper trading host unless explicitly switched to live. */
  ALPACA_PAPER: envBool(true),
  ALPACA_STOCK_SYMBOLS: envList([]),
  /** Crypto pairs as Alpaca names them (`BTC/USD`); the provider shows them as `BTCUSD`. */
  ALPACA_CRYPTO_SYMBOLS: envList([]),
  /**
   * Venue hosts, each replacing the documented one (a regional host, a proxy, a local fake); unset
   * keeps the documented host. Spot user data comes from the WebSocket API (`*_WS_API_URL`); USD-M
   * futures streams depth on `*_PUBLIC_WS_URL`, other market data on `*_WS_URL` and user data on
   * `*_USER_WS_URL`.
   */
  BINANCE_SPOT_REST_URL: envUrl(undefined, HTTP).optional(),
  BINANCE_SPOT_WS_URL: envUrl(undefined, WS).optional(),
  BINANCE_SPOT_WS_API_URL: envUrl(undefined, WS).optional(),
  BINANCE_FUTURES_REST_URL: envUrl(undefined, HTTP).optional(),
  BINANCE_FUTURES_WS_URL: envUrl(undefined, WS).optional(),
  BINANCE_FUTURES_PUBLIC_WS_URL: envUrl(undefined, WS).optional(),
  BINANCE_FUTURES_USER_WS_URL: envUrl(undefined, WS).optional(),
  TESTNET_BINANCE_SPOT_REST_URL: envUrl(undefined, HTTP).optional(),
  TESTNET_BINANCE_SPOT_WS_URL: envUrl(undefined, WS).optional(),
  TESTNET_BINANCE_SPOT_WS_API_URL: envUrl(undefined, WS).optional(),
  TESTNET_BINANCE_FUTURES_REST_URL: envUrl(undefined, HTTP).optional(),
  TESTNET_BINANCE_FUTURES_WS_URL: envUrl(undefined, WS).optional(),
  TESTNET_BINANCE_FUTURES_PUBLIC_WS_URL: envUrl(undefined, WS).optional(),
  TESTNET_BINANCE_FUTURES_USER_WS_URL: envUrl(undefined, WS).optional(),
  /** Alpaca's Trading API (REST and `/stream`) and Market Data (REST and real-time stream) hosts. */
  ALPACA_TRADING_URL: envUrl(undefined, HTTP).optional(),
  ALPACA_TRADING_WS_URL: envUrl(undefined, WS).optional(),
  ALPACA_DATA_URL: envUrl(undefined, HTTP).optional(),
  ALPACA_DATA_WS_URL: envUrl(undefined, WS).optional(),
  CONNECTOR_HTTP_TIMEOUT_MS: envDurationMs(10_000),
  /** How long an order waits for a venue market that cannot trade yet (reconciling, user data down) before it is refused with the reason. */
  CONNECTOR_GATE_TIMEOUT_MS: envDurationMs(15_000),
  /** Venues cut WebSocket connections at 24 h; reconnecting earlier keeps the gap planned. */
  CONNECTOR_PROACTIVE_RECONNECT_MS: envDurationMs(23 * 3_600_000),
  CANDLE_FLUSH_MS: envDurationMs(1000),
  WS_MAX_BUFFERED: envInt(5000, { min: 10 }),
  ORDER_IDEMPOTENCY_TTL_MS: envDurationMs(600_000),
  PROVIDER_APP_ACTIVE_TTL_MS: envDurationMs(60_000),
  /** How often every open order is checked against its venue (also done at start and after venue reconnects). */
  PROVIDER_RECONCILE_MS: envDurationMs(60_000),
  /**
   * Where the database's own autovacuum does not run (a server with it off; PGlite), the provider
   * tends the tables its order path churns itself: on PostgreSQL it reads their counters this often
   * and vacuums and analyzes those past autovacuum's thresholds; PGlite's are vacuumed every 30 s.
   * 0 = never.
   */
  PROVIDER_TABLE_CARE_MS: envDurationMs(5_000),
  /**
   * Crash tests only: `<point>:<clientOrderId prefix>` kills the process at that point of such an
   * order's placement (before-insert, after-insert, after-venue). Never set it anywhere else.
   */
  PROVIDER_TEST_CRASH_AT: z
    .string()
    .regex(/^(before-insert|after-insert|after-venue):\S+$/)
    .optional(),
  /** Host names an app's baseUrl may point at (the proxy connects there); empty: any. */
  PROVIDER_APP_ALLOWED_HOSTS: envList([]),
  /**
   * Lets app baseUrls point at link-local (169.254.0.0/16, fe80::/10), cloud metadata and unspecified
   * (0.0.0.0, ::) addresses, which are refused otherwise whatever PROVIDER_APP_ALLOWED_HOSTS says.
   */
  PROVIDER_APP_ALLOW_METADATA_ADDRESSES: envBool(false),
  /** How others reach this provider when not at its own address (a TLS proxy in front); an app registered there would loop. */
  PROVIDER_PUBLIC_URL: envUrl(undefined, { protocols: ['http', 'https'] }).optional(),
  PROVIDER_PROXY_TIMEOUT_MS: envDurationMs(15_000),
  /**
   * The proxy's HTTP client to the apps: `native` (on Node's own llhttp parser, the cheaper hop),
   * `undici`, or `auto` (native where this Node exposes the parser, else undici).
   */
  PROVIDER_PROXY_CLIENT: envString('auto').pipe(z.enum(['auto', 'native', 'undici'])),
  EVENTSINK_ENABLED: envBool(true),
  EVENTSINK_BATCH_SIZE: envInt(500, { min: 1, max: 10_000 }),
  EVENTSINK_FLUSH_MS: envDurationMs(200),
  /** Rows held in memory while the database is slow or down; past it market data is dropped (counted). */
  EVENTSINK_MAX_BUFFERED: envInt(100_000, { min: 100 }),
  /** How long the sink keeps market data (candles, trades, order books, prices); 0 = for ever. See eventsink.retention.ts. */
  EVENTSINK_MARKET_RETENTION_MS: envDurationMs('1d'),
  /** How long the sink keeps every other event (orders, fills, account, signals, decisions...); 0 = for ever. */
  EVENTSINK_RETENTION_MS: envDurationMs('90d'),
  SIGNALS_CONTEXT_TTL_MS: envDurationMs(5_000),
  /** Most candles one backtest may read (a year of minute bars is 525,600). */
  BACKTEST_MAX_BARS: envInt(1_000_000, { min: 1_000, max: 10_000_000 }),
  /** Worker threads for optimisations and batch backtests; 0 = one fewer than the cores (one stays with the money path). */
  RESEARCH_WORKERS: envInt(0, { min: 0, max: 64 }),
  /** The user's detectors (`<dir>/<name>/src/<name>.ts`, as the generator writes them); a missing dir holds none. */
  DETECTORS_DIR: envString('./detectors'),
});

export type ProviderConfig = z.output<typeof ProviderConfigSchema>;

export function loadProviderConfig(env: Env = process.env): ProviderConfig {
  return parseConfig(ProviderConfigSchema, env);
}
