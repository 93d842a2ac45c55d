import pino from 'pino';
import { loadProviderConfig } from '../../config';
import { createConfiguredConnectors } from './configured-connectors';

describe('connectors from the environment', () => {
  const logger = pino({ level: 'silent' });
  it('enables no real venue by default', () => {
    expect(createConfiguredConnectors(loadProviderConfig({}), logger)).toEqual([]);
  });
  it('enables a connector market per listed symbols', () => {
    const list = createConfiguredConnectors(
      loadProviderConfig({
        BINANCE_SPOT_SYMBOLS: 'btcusdt,ETHUSDT',
        TESTNET_BINANCE_FUTURES_SYMBOLS: 'BTCUSDT',
        TESTNET_BINANCE_FUTURES_API_KEY: 'k',
        TESTNET_BINANCE_FUTURES_API_SECRET: 's',
        ALPACA_KEY_ID: 'k',
        ALPACA_SECRET_KEY: 's',
        ALPACA_CRYPTO_SYMBOLS: 'BTC/USD',
      }),
      logger,
    );
    expect(list.map((c) => [c.type, c.markets])).toEqual([
      ['binance', ['spot']],
      ['testnetBinanceFutures', ['futures']],
      ['alpaca', ['spot']],
    ]);
  });
});

describe('Alpaca without keys', () => {
  it('stays off and says which key is missing', () => {
    const lines: Array<{ msg: string; missing?: string[] }> = [];
    const capture = pino(
      { level: 'warn' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string; missing?: string[] }) },
    );
    expect(
      createConfiguredConnectors(loadProviderConfig({ ALPACA_CRYPTO_SYMBOLS: 'BTC/USD', ALPACA_KEY_ID: 'k' }), capture),
    ).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({
        missing: ['ALPACA_SECRET_KEY'],
        msg: expect.stringMatching(/alpaca connector stays off/),
      }),
    ]);
  });
});

describe('empty values as .env.example leaves them', () => {
  it('parse as unset', () => {
    const config = loadProviderConfig({
      BINANCE_API_KEY: '',
      BINANCE_API_SECRET: '',
      BINANCE_SPOT_SYMBOLS: '',
      CONNECTOR_PROACTIVE_RECONNECT_MS: '23h',
    });
    expect(createConfiguredConnectors(config, pino({ level: 'silent' }))).toEqual([]);
  });
});

describe('venue hosts from the environment', () => {
  it('leave empty values to the documented hosts and refuse a URL of the wrong kind, naming the variable', () => {
    expect(() => loadProviderConfig({ BINANCE_SPOT_REST_URL: '', ALPACA_DATA_WS_URL: '' })).not.toThrow();
    expect(() => loadProviderConfig({ BINANCE_SPOT_WS_API_URL: 'https://ws-api.binance.com/ws-api/v3' })).toThrow(
      /BINANCE_SPOT_WS_API_URL/,
    );
    expect(() => loadProviderConfig({ ALPACA_TRADING_URL: 'wss://paper-api.alpaca.markets' })).toThrow(
      /ALPACA_TRADING_URL/,
    );
  });
});
