import { Writable } from 'node:stream';
import pino from 'pino';
import type { MarketType } from '@barfinex/enums';
import type { ConnectorEvents, VenueFill, VenueOrderState } from '../../connector';
import type { OrderBook, Reconciliation, SymbolPrice, Trade } from '@barfinex/contracts';

/** A logger whose every line is kept, so specs can prove secrets never reach the log. */
export function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** Connector callbacks that record what arrived. */
export function recordingEvents(reconcile?: (m: MarketType) => Promise<Reconciliation>) {
  const seen = {
    trades: [] as Trade[],
    books: [] as OrderBook[],
    tickers: [] as SymbolPrice[],
    orders: [] as VenueOrderState[],
    fills: [] as VenueFill[],
    account: [] as string[],
  };
  const events: ConnectorEvents = {
    onTrade: (_m, t) => void seen.trades.push(t),
    onOrderBook: (_m, b) => void seen.books.push(b),
    onTicker: (_m, t) => void seen.tickers.push(t),
    onOrderUpdate: (_m, o) => void seen.orders.push(o),
    onFill: (_m, f) => void seen.fills.push(f),
    onAccountChange: (_m, c) => void seen.account.push(c.eventType),
    ...(reconcile ? { reconcile } : {}),
  };
  return { seen, events };
}

export const okReconcile =
  (connectorType: Reconciliation['connectorType']) =>
  async (marketType: MarketType): Promise<Reconciliation> => ({
    connectorType,
    marketType,
    checkedAt: 0,
    matched: 0,
    mismatches: [],
  });
