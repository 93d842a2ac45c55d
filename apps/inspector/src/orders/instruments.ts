import type { Instrument } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import type { ProviderClient } from '@barfinex/sdk';
import { Dec } from '../decimal';

const floorTo = (value: Dec, step: string | undefined): Dec => (step ? value.div(step).floor().times(step) : value);
const roundTo = (value: Dec, step: string | undefined): Dec => (step ? value.div(step).round().times(step) : value);

/** Exchange filters per market, read once and cached, to size orders the venue accepts. */
export function createInstrumentCache(provider: ProviderClient) {
  const cache = new Map<string, Promise<Map<string, Instrument>>>();
  function market(connectorType: ConnectorType, marketType: MarketType): Promise<Map<string, Instrument>> {
    const key = `${connectorType}:${marketType}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = provider.market
        .symbols({ connectorType, marketType })
        .then((list) => new Map(list.map((i) => [i.symbol, i])));
      cache.set(key, entry);
      entry.catch(() => cache.delete(key));
    }
    return entry;
  }
  async function get(
    connectorType: ConnectorType,
    marketType: MarketType,
    symbol: string,
  ): Promise<Instrument | undefined> {
    return (await market(connectorType, marketType)).get(symbol);
  }
  return {
    get,
    /** Reads a market's filters ahead of its first entry; a failure is retried by that entry. */
    warm: (connectorType: ConnectorType, marketType: MarketType): void =>
      void market(connectorType, marketType).catch(() => undefined),
    /** Quantity rounded down to the lot step (never more than asked). */
    quantity: (i: Instrument | undefined, qty: Dec): Dec => floorTo(qty, i?.stepSize),
    /** Price rounded to the nearest tick. */
    price: (i: Instrument | undefined, price: Dec): Dec => roundTo(price, i?.tickSize),
  };
}

export type InstrumentCache = ReturnType<typeof createInstrumentCache>;
