export interface FakeOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: 'BUY' | 'SELL';
  stopPrice: string;
  time: number;
  updateTime: number;
}

/** The user-stream event Binance pushes for an order change: spot `executionReport`, futures `ORDER_TRADE_UPDATE`. */
export function fakeOrderEvent(market: 'spot' | 'futures', o: FakeOrder, execution: 'NEW' | 'TRADE' | 'CANCELED', trade?: Record<string, unknown>) {
  const lastQty = trade ? String(trade['qty']) : '0';
  const lastPrice = trade ? String(trade['price']) : '0';
  if (market === 'futures') {
    return {
      e: 'ORDER_TRADE_UPDATE', E: o.updateTime, T: o.updateTime,
      o: {
        s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: o.origQty, p: o.price, ap: trade ? lastPrice : '0', sp: o.stopPrice, x: execution, X: o.status, i: o.orderId,
        l: lastQty, z: o.executedQty, L: lastPrice, N: 'USDT', n: trade ? '0.019' : '0', T: o.updateTime, t: trade ? trade['id'] : 0, b: '0', a: '0', m: false, R: false, wt: 'CONTRACT_PRICE', ot: o.type, ps: 'BOTH', cp: false, rp: '0', pP: false, si: 0, ss: 0, V: 'NONE', pm: 'NONE', gtd: 0,
      },
    };
  }
  return {
    e: 'executionReport', E: o.updateTime, s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: o.origQty, p: o.price, P: o.stopPrice, F: '0.00000000', g: -1, C: '', x: execution, X: o.status, r: 'NONE', i: o.orderId,
    l: lastQty, z: o.executedQty, L: lastPrice, n: trade ? String(trade['commission']) : '0', N: trade ? 'BNB' : null, T: o.updateTime, t: trade ? trade['id'] : -1, v: 3, I: 8641984, w: execution === 'NEW', m: false, M: false, O: o.time, Z: o.cummulativeQuoteQty, Y: o.cummulativeQuoteQty, Q: '0.00000000', W: o.time, V: 'NONE',
  };
}
