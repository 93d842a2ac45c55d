import type { Logger } from 'pino';
import type { ProviderConfig } from '../../config';
import type { ExchangeConnector } from '../connector';
import { createAlpacaConnector } from '../alpaca/alpaca-connector';
import { createBinanceConnector } from '../binance/binance-connector';
import type { BinanceMarketConfig } from '../binance/binance-connector';
import type { BinanceConnectorType } from '../binance/binance-hosts';
import type { BinanceCredentials } from '../binance/binance-rest';

type BinanceEnv = Pick<
  ProviderConfig,
  | 'BINANCE_API_KEY'
  | 'BINANCE_API_SECRET'
  | 'BINANCE_SPOT_SYMBOLS'
  | 'BINANCE_FUTURES_SYMBOLS'
  | 'TESTNET_BINANCE_SPOT_API_KEY'
  | 'TESTNET_BINANCE_SPOT_API_SECRET'
  | 'TESTNET_BINANCE_SPOT_SYMBOLS'
  | 'TESTNET_BINANCE_FUTURES_API_KEY'
  | 'TESTNET_BINANCE_FUTURES_API_SECRET'
  | 'TESTNET_BINANCE_FUTURES_SYMBOLS'
  | 'BINANCE_RECV_WINDOW_MS'
  | 'CONNECTOR_HTTP_TIMEOUT_MS'
  | 'CONNECTOR_GATE_TIMEOUT_MS'
  | 'CONNECTOR_PROACTIVE_RECONNECT_MS'
  | 'ALPACA_KEY_ID'
  | 'ALPACA_SECRET_KEY'
  | 'ALPACA_PAPER'
  | 'ALPACA_STOCK_SYMBOLS'
  | 'ALPACA_CRYPTO_SYMBOLS'
  | HostVariable
>;

type BinanceHostPrefix = 'BINANCE_SPOT' | 'BINANCE_FUTURES' | 'TESTNET_BINANCE_SPOT' | 'TESTNET_BINANCE_FUTURES';
type HostVariable =
  | `${'BINANCE_SPOT' | 'TESTNET_BINANCE_SPOT'}_${'REST_URL' | 'WS_URL' | 'WS_API_URL'}`
  | `${'BINANCE_FUTURES' | 'TESTNET_BINANCE_FUTURES'}_${'REST_URL' | 'WS_URL' | 'PUBLIC_WS_URL' | 'USER_WS_URL'}`
  | `ALPACA_${'TRADING_URL' | 'TRADING_WS_URL' | 'DATA_URL' | 'DATA_WS_URL'}`;

const credentials = (apiKey: string | undefined, apiSecret: string | undefined): BinanceCredentials | undefined =>
  apiKey && apiSecret ? { apiKey, apiSecret } : undefined;

type Hosts = Pick<BinanceMarketConfig, 'restUrl' | 'wsUrl' | 'publicWsUrl' | 'userWsUrl'>;

function markets(
  list: Array<[BinanceMarketConfig['market'], readonly string[], BinanceCredentials | undefined, Hosts]>,
): BinanceMarketConfig[] {
  return list
    .filter(([, symbols]) => symbols.length > 0)
    .map(([market, symbols, creds, hosts]) => ({
      market,
      symbols: symbols.map((s) => s.toUpperCase()),
      ...(creds ? { credentials: creds } : {}),
      ...defined(hosts),
    }));
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The host variables of one venue market (`<prefix>_REST_URL`, ...), unset ones left to the documented hosts. */
function hostsOf(config: BinanceEnv, prefix: BinanceHostPrefix): Hosts {
  const env: Partial<Record<HostVariable, string>> = config;
  const get = (suffix: string) => env[`${prefix}_${suffix}` as HostVariable];
  const spot = prefix.endsWith('SPOT');
  return {
    restUrl: get('REST_URL'),
    wsUrl: get('WS_URL'),
    userWsUrl: get(spot ? 'WS_API_URL' : 'USER_WS_URL'),
    publicWsUrl: spot ? undefined : get('PUBLIC_WS_URL'),
  } as Hosts;
}

/**
 * The real-venue connectors the environment enables (none by default). A market without keys
 * streams market data only and refuses orders.
 */
export function createConfiguredConnectors(config: BinanceEnv, logger: Logger): ExchangeConnector[] {
  const live = credentials(config.BINANCE_API_KEY, config.BINANCE_API_SECRET);
  const wanted: Array<[BinanceConnectorType, BinanceMarketConfig[]]> = [
    [
      'binance',
      markets([
        ['spot', config.BINANCE_SPOT_SYMBOLS, live, hostsOf(config, 'BINANCE_SPOT')],
        ['futures', config.BINANCE_FUTURES_SYMBOLS, live, hostsOf(config, 'BINANCE_FUTURES')],
      ]),
    ],
    [
      'testnetBinanceSpot',
      markets([
        [
          'spot',
          config.TESTNET_BINANCE_SPOT_SYMBOLS,
          credentials(config.TESTNET_BINANCE_SPOT_API_KEY, config.TESTNET_BINANCE_SPOT_API_SECRET),
          hostsOf(config, 'TESTNET_BINANCE_SPOT'),
        ],
      ]),
    ],
    [
      'testnetBinanceFutures',
      markets([
        [
          'futures',
          config.TESTNET_BINANCE_FUTURES_SYMBOLS,
          credentials(config.TESTNET_BINANCE_FUTURES_API_KEY, config.TESTNET_BINANCE_FUTURES_API_SECRET),
          hostsOf(config, 'TESTNET_BINANCE_FUTURES'),
        ],
      ]),
    ],
  ];
  const binance = wanted
    .filter(([, m]) => m.length > 0)
    .map(([type, m]) =>
      createBinanceConnector({
        type,
        markets: m,
        logger: logger.child({ component: type }),
        timeoutMs: config.CONNECTOR_HTTP_TIMEOUT_MS,
        gateTimeoutMs: config.CONNECTOR_GATE_TIMEOUT_MS,
        recvWindowMs: config.BINANCE_RECV_WINDOW_MS,
        proactiveReconnectMs: config.CONNECTOR_PROACTIVE_RECONNECT_MS,
      }),
    );
  const alpacaWanted = config.ALPACA_STOCK_SYMBOLS.length + config.ALPACA_CRYPTO_SYMBOLS.length > 0;
  // Alpaca needs keys even for market data, so without them it stays off (said, not silent).
  if (!alpacaWanted) return binance;
  if (!config.ALPACA_KEY_ID || !config.ALPACA_SECRET_KEY) {
    logger.warn(
      {
        missing: [
          ...(config.ALPACA_KEY_ID ? [] : ['ALPACA_KEY_ID']),
          ...(config.ALPACA_SECRET_KEY ? [] : ['ALPACA_SECRET_KEY']),
        ],
      },
      'Alpaca symbols are set but its keys are not: the alpaca connector stays off (it needs keys even for market data)',
    );
    return binance;
  }
  const alpaca = createAlpacaConnector({
    keyId: config.ALPACA_KEY_ID,
    secretKey: config.ALPACA_SECRET_KEY,
    paper: config.ALPACA_PAPER,
    urls: defined({
      trading: config.ALPACA_TRADING_URL,
      tradingWs: config.ALPACA_TRADING_WS_URL,
      data: config.ALPACA_DATA_URL,
      dataWs: config.ALPACA_DATA_WS_URL,
    }),
    stockSymbols: config.ALPACA_STOCK_SYMBOLS.map((s) => s.toUpperCase()),
    cryptoSymbols: config.ALPACA_CRYPTO_SYMBOLS.map((s) => s.toUpperCase()),
    logger: logger.child({ component: 'alpaca' }),
    timeoutMs: config.CONNECTOR_HTTP_TIMEOUT_MS,
    gateTimeoutMs: config.CONNECTOR_GATE_TIMEOUT_MS,
    proactiveReconnectMs: config.CONNECTOR_PROACTIVE_RECONNECT_MS,
  });
  return [...binance, alpaca];
}
