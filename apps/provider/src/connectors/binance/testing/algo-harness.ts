import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';
import { eventually } from '@barfinex/testing';
import type { ExchangeConnector, VenueOrderState } from '../../connector';
import { startBinanceVenue } from '../../fakes/binance-venue';
import type { BinanceVenue, BinanceVenueOptions } from '../../fakes/binance-venue';
import { capturingLogger } from '../../shared/testing/spec-helpers';
import { startProviderWith } from '../../shared/testing/provider-with';
import { futuresConnectorFor } from './futures-connector';

const KEY = 'algo-key-QQQQ4444';
const SECRET = 'algo-secret-WWWW5555';
export const FUTURES = { connectorType: 'testnetBinanceFutures', marketType: 'futures' } as const;

/**
 * A provider on PGlite trading the USD-M fake, for the Algo Service specs: set up before the suite,
 * restartable (`start` again on the same database), recording the order updates the connector delivers.
 */
export function algoHarness(venue: Pick<BinanceVenueOptions, 'algoRealOrderIds'> = {}) {
  const t = {
    db: undefined as unknown as Database,
    fake: undefined as unknown as BinanceVenue,
    h: undefined as unknown as Awaited<ReturnType<typeof startProviderWith>>,
    log: capturingLogger(),
    updates: [] as VenueOrderState[],
    async start(): Promise<void> {
      const connector = futuresConnectorFor(t.fake, { apiKey: KEY, apiSecret: SECRET }, t.log.logger);
      // The venue's order updates as the connector delivers them, to know when the last one is in.
      const recording: ExchangeConnector = {
        ...connector,
        start: (events) =>
          connector.start({
            ...events,
            onOrderUpdate: (m, state) => {
              t.updates.push(state);
              events.onOrderUpdate(m, state);
            },
          }),
      };
      t.h = await startProviderWith(t.db, recording);
      await eventually(async () =>
        expect((await t.h.call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation')).status).toBe(
          200,
        ),
      );
    },
    fillsOf: (seen: EventEnvelope[], clientOrderId: string) =>
      seen.filter(
        (e) =>
          e.type === 'PROVIDER_ORDER_FILL' && (e.payload as { clientOrderId: string }).clientOrderId === clientOrderId,
      ),
    /** A reduce-only sell protecting a long of 0.002 BTC. */
    stopLoss: (clientOrderId: string, stopPrice: string, type = 'STOP_MARKET', price?: string) =>
      t.h.call('POST', '/api/orders', {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type,
        quantity: '0.002',
        stopPrice,
        ...(price ? { price } : {}),
        reduceOnly: true,
        clientOrderId,
        ...FUTURES,
      }),
  };
  beforeAll(async () => {
    t.db = await createTestPglite();
    t.fake = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET, ...venue });
    t.fake.setDepth('BTCUSDT', { lastUpdateId: 10, bids: [['94999.90', '1.000']], asks: [['95000.10', '1.000']] });
    await t.start();
    // The long the protective orders protect.
    const entry = await t.h.call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.002',
      clientOrderId: 'algo-entry',
      ...FUTURES,
    });
    expect(entry.body).toMatchObject({ status: 'FILLED' });
  });
  afterAll(async () => {
    await t.h.stop();
    await t.fake.close();
    await t.db.close();
  });
  return t;
}
