import type { Logger } from 'pino';
import type { ExchangeConnector } from '../../connector';
import type { BinanceVenue } from '../../fakes/binance-venue';
import { createBinanceConnector } from '../binance-connector';

/** The USD-M testnet connector pointed at a conformance fake, trading BTCUSDT with these keys. */
export function futuresConnectorFor(
  fake: BinanceVenue,
  keys: { apiKey: string; apiSecret: string },
  logger: Logger,
): ExchangeConnector {
  return createBinanceConnector({
    type: 'testnetBinanceFutures',
    markets: [{ market: 'futures', symbols: ['BTCUSDT'], credentials: keys, ...fake.endpoints }],
    logger,
    wsBackoffMs: 20,
  });
}
