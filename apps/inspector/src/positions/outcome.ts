import type { TradeSide } from '@barfinex/enums';
import { Dec } from '../decimal';

export interface OutcomeInput {
  side: TradeSide;
  entryPrice: string;
  exitPrice: string;
  quantity: string;
  /** The protective stop the position was opened with; the R multiple needs it. */
  stopLoss?: string;
  fees?: string;
}

export interface OutcomeNumbers {
  pnl: string;
  pnlPct: string;
  rMultiple?: string;
  isWin: boolean;
}

const places = (d: Dec) => d.toDecimalPlaces(8, Dec.ROUND_HALF_UP).toFixed();

/** Realised PnL net of fees, as % of the entry value, and in units of the risk taken at entry. */
export function computeOutcome(o: OutcomeInput): OutcomeNumbers {
  const qty = new Dec(o.quantity);
  const entry = new Dec(o.entryPrice);
  const direction = o.side === 'LONG' ? 1 : -1;
  const pnl = new Dec(o.exitPrice)
    .minus(entry)
    .times(qty)
    .times(direction)
    .minus(o.fees ?? 0);
  const cost = entry.times(qty);
  const risk = o.stopLoss === undefined ? undefined : entry.minus(o.stopLoss).abs().times(qty);
  return {
    pnl: pnl.toFixed(),
    pnlPct: cost.isZero() ? '0' : places(pnl.div(cost).times(100)),
    ...(risk && !risk.isZero() ? { rMultiple: places(pnl.div(risk)) } : {}),
    isWin: pnl.gt(0),
  };
}

/** Stop-loss and take-profit defaults around the fill price when the intent gave none. */
export function defaultLevels(
  side: TradeSide,
  entry: string,
  stopPct: string,
  takePct: string,
): { stopLoss: Dec; takeProfit: Dec } {
  const e = new Dec(entry);
  const s = e.times(stopPct).div(100);
  const t = e.times(takePct).div(100);
  return side === 'LONG'
    ? { stopLoss: e.minus(s), takeProfit: e.plus(t) }
    : { stopLoss: e.plus(s), takeProfit: e.minus(t) };
}

/** A stop on the losing side and a target on the winning side of the entry, or not usable. */
export function levelsValid(side: TradeSide, entry: string, stopLoss: string, takeProfit: string): boolean {
  const e = new Dec(entry);
  return side === 'LONG'
    ? new Dec(stopLoss).lt(e) && new Dec(takeProfit).gt(e)
    : new Dec(stopLoss).gt(e) && new Dec(takeProfit).lt(e);
}
