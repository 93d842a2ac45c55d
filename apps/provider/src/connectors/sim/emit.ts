import type { TradeSide } from '@barfinex/enums';
import { touchOrder } from './state';
import type { AccountState, Engine, OrderState, PositionState } from './state';
import type { SimSink } from './types';
import { futuresBalanceView, orderView, positionView, spotBalanceView } from './views';

/**
 * Sink calls happen inside engine operations; a throwing consumer must not leave an order
 * half-applied, so every call is isolated and its error handed to `onError`. Views are only
 * built when someone listens, which keeps a sink-less backtest cheap.
 */
export function safeCall<T>(sink: SimSink, fn: ((value: T) => void) | undefined, value: T): void {
  if (fn === undefined) return;
  try {
    fn.call(sink, value);
  } catch (error) {
    if (sink.onError === undefined) return;
    try {
      sink.onError(error);
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }
}

export function emitOrder(engine: Engine, order: OrderState): void {
  touchOrder(engine, order);
  const { sink } = engine;
  if (sink.onOrderUpdate !== undefined) safeCall(sink, sink.onOrderUpdate, orderView(order));
}

export function emitSpotBalance(engine: Engine, account: AccountState, asset: string): void {
  const { sink } = engine;
  if (sink.onBalance !== undefined) safeCall(sink, sink.onBalance, spotBalanceView(account, asset));
}

export function emitFuturesBalance(engine: Engine, account: AccountState, asset: string): void {
  const { sink } = engine;
  if (sink.onBalance !== undefined) safeCall(sink, sink.onBalance, futuresBalanceView(account, asset));
}

export function emitPosition(engine: Engine, position: PositionState, closedSide?: TradeSide): void {
  const { sink } = engine;
  if (sink.onPosition !== undefined) safeCall(sink, sink.onPosition, positionView(position, engine, closedSide));
}
