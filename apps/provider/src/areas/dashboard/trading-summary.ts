import { Money } from '@barfinex/contracts';
import type { Asset, DashboardOverview, Position } from '@barfinex/contracts';

export type TradingSummary = DashboardOverview['trading'];

const STABLE = new Set(['USDT', 'USD', 'USDC']);

/** USD value of one unit: stablecoins are 1, others need a USD/USDT/USDC price on the asset. */
function unitValue(asset: Asset): Money | undefined {
  if (STABLE.has(asset.symbol.toUpperCase())) return new Money(1);
  const quote = asset.price?.find((p) => STABLE.has(p.currency.toUpperCase()));
  return quote ? new Money(quote.value) : undefined;
}

function positionPrice(p: Position): Money {
  return new Money(p.markPrice ?? p.lastPrice ?? p.entryPrice);
}

/** Reported PnL when the venue gives one, else (price − entry) × qty, sign-flipped for shorts. */
function unrealized(p: Position): Money {
  if (p.unrealizedPnl !== undefined) return new Money(p.unrealizedPnl);
  const diff = positionPrice(p).minus(p.entryPrice).times(p.quantity);
  return p.side === 'SHORT' ? diff.negated() : diff;
}

export interface AccountState {
  assets: readonly Asset[];
  positions: readonly Position[];
  openOrders: number;
}

/**
 * Balances, exposure and PnL over every account. Daily PnL is equity (valued balances plus
 * unrealised PnL) now minus equity at the first look of the UTC day, which `dayOpenEquity` keeps.
 */
export function summarizeTrading(
  accounts: readonly AccountState[],
  dayOpenEquity: (equity: Money) => Money,
): TradingSummary {
  let wallet = new Money(0);
  let available = new Money(0);
  let exposure = new Money(0);
  let pnl = new Money(0);
  let withoutValuation = 0;
  let openPositions = 0;
  let openOrders = 0;
  for (const account of accounts) {
    openOrders += account.openOrders;
    for (const asset of account.assets) {
      const value = unitValue(asset);
      if (!value) {
        if (!new Money(asset.walletBalance).isZero()) withoutValuation += 1;
        continue;
      }
      wallet = wallet.plus(value.times(asset.walletBalance));
      available = available.plus(value.times(asset.availableBalance));
    }
    for (const p of account.positions) {
      if (new Money(p.quantity).isZero()) continue;
      openPositions += 1;
      exposure = exposure.plus(positionPrice(p).times(p.quantity).abs());
      pnl = pnl.plus(unrealized(p));
    }
  }
  const equity = wallet.plus(pnl);
  return {
    accounts: accounts.length,
    walletBalanceTotal: wallet.toFixed(),
    availableBalanceTotal: available.toFixed(),
    assetsWithoutValuation: withoutValuation,
    openPositions,
    openOrders,
    notionalExposure: exposure.toFixed(),
    exposureRatio: wallet.isZero() ? null : exposure.div(wallet).toDecimalPlaces(6).toNumber(),
    dailyPnl: equity.minus(dayOpenEquity(equity)).toFixed(),
    unrealizedPnl: pnl.toFixed(),
  };
}
