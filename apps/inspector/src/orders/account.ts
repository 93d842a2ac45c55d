import type { ConnectorType, MarketType } from '@barfinex/enums';
import type { ProviderClient } from '@barfinex/sdk';
import { isAppError } from '@barfinex/service-kit';
import { Dec, ZERO } from '../decimal';

export interface AccountView {
  key: string;
  equity: Dec;
  exposureBySymbol: Record<string, Dec>;
  totalExposure: Dec;
  unrealizedPnl: Dec;
  positions: { symbol: string; side: string; quantity: string }[];
}

type AssetsReply = Awaited<ReturnType<ProviderClient['accounts']['assets']>>;
type Market = { connectorType: ConnectorType; marketType: MarketType };

/**
 * Equity = wallet balance of the quote asset + unrealised PnL of open positions; exposure =
 * |quantity| × mark (or last, or entry) price per symbol.
 */
function accountView({ assets, positions }: AssetsReply, market: Market, quoteAsset: string): AccountView {
  const wallet = assets.filter((a) => a.symbol === quoteAsset).reduce((sum, a) => sum.plus(a.walletBalance), ZERO);
  const exposureBySymbol: Record<string, Dec> = {};
  let unrealizedPnl = ZERO;
  const open = positions.filter((p) => !new Dec(p.quantity).isZero());
  for (const p of open) {
    const price = p.markPrice ?? p.lastPrice ?? p.entryPrice;
    exposureBySymbol[p.symbol] = (exposureBySymbol[p.symbol] ?? ZERO).plus(new Dec(p.quantity).abs().times(price));
    unrealizedPnl = unrealizedPnl.plus(p.unrealizedPnl ?? 0);
  }
  const totalExposure = Object.values(exposureBySymbol).reduce((a, b) => a.plus(b), ZERO);
  return {
    key: `${market.connectorType}:${market.marketType}`,
    equity: wallet.plus(unrealizedPnl),
    exposureBySymbol,
    totalExposure,
    unrealizedPnl,
    positions: open.map((p) => ({ symbol: p.symbol, side: p.side, quantity: p.quantity })),
  };
}

/** The account the policies measure, read from the provider each time. */
export async function readAccount(provider: ProviderClient, market: Market, quoteAsset: string): Promise<AccountView> {
  return accountView(await provider.accounts.assets(market), market, quoteAsset);
}

/**
 * What each asset of one venue account can still pay for (available balance), for the pre-trade
 * funds check, and, when that account is the one the policies measure (`own`), its view from the
 * same read; `refused` when the provider definitively will not show that account (a venue
 * without keys, an unknown market), so the entry is declined with that reason rather than retried.
 * Outages and timeouts are thrown: the entry is redelivered and judged again.
 */
export async function readFunds(
  provider: ProviderClient,
  market: Market,
  own?: Market & { quoteAsset: string },
): Promise<{ funds: Record<string, Dec>; account?: AccountView } | { refused: string }> {
  let reply: AssetsReply;
  try {
    reply = await provider.accounts.assets(market);
  } catch (err) {
    if (isAppError(err) && err.status < 500) return { refused: `${err.code}: ${err.message}` };
    throw err;
  }
  const funds: Record<string, Dec> = {};
  for (const a of reply.assets) funds[a.symbol] = (funds[a.symbol] ?? ZERO).plus(a.availableBalance);
  const same = own !== undefined && own.connectorType === market.connectorType && own.marketType === market.marketType;
  return same ? { funds, account: accountView(reply, market, own.quoteAsset) } : { funds };
}
