import type { TradeSide } from '@barfinex/enums';
import { Dec } from '../decimal';
import type { InstrumentCache } from '../orders/instruments';
import type { OrderGateway, OrderRequest, SubmitResult } from '../orders/order-gateway';
import { defaultLevels, levelsValid } from './outcome';
import type { PositionRecord } from './position-record';

export interface ProtectionDeps {
  gateway: OrderGateway;
  instruments: InstrumentCache;
  appKey: string;
  /** Defaults for positions opened without levels (current policies). */
  levels: () => { stopLossPercent: string; takeProfitPercent: string };
}

const opening = (side: TradeSide) => (side === 'LONG' ? 'BUY' : 'SELL');
const closing = (side: TradeSide) => (side === 'LONG' ? 'SELL' : 'BUY');

/** Builds and sends the inspector's orders for one position: entry, SL/TP, forced exit. */
export function createProtection(deps: ProtectionDeps) {
  const base = (p: PositionRecord) => ({
    connectorType: p.connectorType,
    marketType: p.marketType,
    symbol: p.symbol,
    source: { type: 'inspector' as const, key: deps.appKey },
    // The provider puts it on the order's events, so signal → decision → order → fill → outcome share one id.
    ...(p.correlationId ? { correlationId: p.correlationId } : {}),
  });
  // Only futures know reduce-only; on spot the closing side alone is enough.
  const reduce = (p: PositionRecord) => (p.marketType === 'futures' ? { reduceOnly: true } : {});

  return {
    entry(p: PositionRecord): Promise<SubmitResult> {
      return deps.gateway.submit({
        ...base(p),
        side: opening(p.side),
        type: 'MARKET',
        quantity: p.quantity,
        clientOrderId: p.entryClientOrderId,
      });
    },

    /** SL/TP prices for a fill: the position's own when they sit on the right sides, else the defaults; on the tick grid. */
    async levels(p: PositionRecord, entryPrice: string): Promise<{ stopLoss: string; takeProfit: string }> {
      const instrument = await deps.instruments.get(p.connectorType, p.marketType, p.symbol);
      const defaults = defaultLevels(
        p.side,
        entryPrice,
        deps.levels().stopLossPercent,
        deps.levels().takeProfitPercent,
      );
      const stop = p.stopLoss ?? defaults.stopLoss.toFixed();
      const take = p.takeProfit ?? defaults.takeProfit.toFixed();
      const chosen = levelsValid(p.side, entryPrice, stop, take)
        ? { stop, take }
        : { stop: defaults.stopLoss.toFixed(), take: defaults.takeProfit.toFixed() };
      return {
        stopLoss: deps.instruments.price(instrument, new Dec(chosen.stop)).toFixed(),
        takeProfit: deps.instruments.price(instrument, new Dec(chosen.take)).toFixed(),
      };
    },

    protective(p: PositionRecord, role: 'sl' | 'tp'): Promise<SubmitResult> {
      const clientOrderId = role === 'sl' ? p.slClientOrderId : p.tpClientOrderId;
      const stopPrice = role === 'sl' ? p.stopLoss : p.takeProfit;
      if (!clientOrderId || !stopPrice) throw new Error(`position ${p.id} has no ${role} level`);
      const req: OrderRequest = {
        ...base(p),
        ...reduce(p),
        side: closing(p.side),
        type: role === 'sl' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET',
        quantity: p.filledQuantity,
        stopPrice,
        clientOrderId,
      };
      return deps.gateway.submit(req);
    },

    exit(p: PositionRecord): Promise<SubmitResult> {
      if (!p.exitClientOrderId) throw new Error(`position ${p.id} has no exit order id`);
      return deps.gateway.submit({
        ...base(p),
        ...reduce(p),
        side: closing(p.side),
        type: 'MARKET',
        quantity: p.filledQuantity,
        clientOrderId: p.exitClientOrderId,
      });
    },
  };
}

export type Protection = ReturnType<typeof createProtection>;
