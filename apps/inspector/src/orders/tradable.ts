import type { Instrument } from '@barfinex/contracts';
import type { MarketType, TradeSide } from '@barfinex/enums';
import { Dec, ZERO } from '../decimal';
import type { PolicyCheck } from '../policies/types';

export interface TradableInput {
  symbol: string;
  side: TradeSide;
  marketType: MarketType;
  quantity: Dec;
  notional: Dec;
  instrument: Instrument | undefined;
  /** Available balance per asset of the account the entry would trade on. */
  funds: Readonly<Record<string, Dec>>;
  /** Margin asset when the venue does not name the symbol's quote asset. */
  quoteAsset: string;
}

const block = (policy: string, current: Dec, limit: Dec, reason: string): PolicyCheck => ({
  policy,
  passed: false,
  action: 'BLOCK',
  current: current.toFixed(),
  limit: limit.toFixed(),
  reason,
});

/**
 * Whether the account can take the entry and its protection at all, judged before anything is
 * sent, so a trade the venue would refuse is declined with a reason instead of failing there.
 * Undefined when nothing stands in the way; the venue still has the last word.
 *
 * Spot has no borrowing and no OCO here: each resting stop-loss and take-profit locks what it
 * would spend. A long buys with the quote asset and then rests two sells of the position, so it
 * needs as much base asset again already free; a short sells base asset it must hold and then
 * rests two buy-backs, so it needs the position's value in quote free besides the sale's proceeds.
 * Either way a spot entry needs the quantity in base and its value in quote available.
 */
export function checkTradable(e: TradableInput): PolicyCheck | undefined {
  const minNotional = e.instrument?.minNotional;
  if (minNotional !== undefined && e.notional.lt(minNotional)) {
    return block(
      'minNotional',
      e.notional,
      new Dec(minNotional),
      `order value ${e.notional.toFixed()} is below the minimum notional ${minNotional} of ${e.symbol}`,
    );
  }
  const quote = e.instrument?.quoteAsset ?? e.quoteAsset;
  const free = (asset: string) => e.funds[asset] ?? ZERO;
  if (e.marketType !== 'spot') {
    // The margin an entry needs depends on the leverage, which the venue reports only sometimes.
    const margin = e.instrument?.leverage ? e.notional.div(e.instrument.leverage) : ZERO;
    if (free(quote).lte(0) || free(quote).lt(margin))
      return block(
        'balance',
        free(quote),
        margin,
        `${free(quote).toFixed()} ${quote} available on the ${e.marketType} account, not enough to margin ${e.notional.toFixed()} of ${e.symbol}`,
      );
    return undefined;
  }
  const base = e.instrument?.baseAsset;
  if (base !== undefined && free(base).lt(e.quantity)) {
    return e.side === 'SHORT'
      ? block(
          'spotShort',
          free(base),
          e.quantity,
          `a short on spot sells ${base} the account holds: ${e.quantity.toFixed()} ${base} needed, ${free(base).toFixed()} free (spot has no borrowing)`,
        )
      : block(
          'balance',
          free(base),
          e.quantity,
          `a long on spot rests a stop-loss and a take-profit that each hold the position: ${e.quantity.toFixed()} ${base} more must be free, ${free(base).toFixed()} is`,
        );
  }
  if (free(quote).lt(e.notional)) {
    const what = e.side === 'LONG' ? 'to buy' : 'for the stop-loss and take-profit to buy back';
    return block(
      'balance',
      free(quote),
      e.notional,
      `${e.notional.toFixed()} ${quote} needed ${what} ${e.quantity.toFixed()} ${e.symbol}, ${free(quote).toFixed()} free`,
    );
  }
  return undefined;
}
