import { Money } from '@barfinex/contracts';
import { z } from 'zod';
import type { Asset, Position } from '@barfinex/contracts';
import { VenueRejectError } from '../connector';
import type {
  AccountSnapshot,
  VenueFill,
  VenueOpenOrder,
  VenueOrderRequest,
  VenueOrderState,
  VenuePlacement,
} from '../connector';
import { UnknownOutcomeError, VenueHttpError } from '../shared/venue-http';
import { algoIdOf, createBinanceAlgoRest, fromAlgoOrder, isAlgoRequest } from './binance-algo';
import type { BinanceConnectorType, BinanceMarket } from './binance-hosts';
import { fillsOfPlacement, toFill, toOrderParams, toOrderState } from './binance-mappers';
import type { BinanceRest, Params } from './binance-rest';
import type { BinanceAlgoOrder } from './binance-schemas';
import {
  BinanceFuturesAccountSchema,
  BinanceOrderSchema,
  BinanceSpotAccountSchema,
  BinanceTradeSchema,
} from './binance-schemas';

export interface BinanceTradingOptions {
  rest: BinanceRest;
  type: BinanceConnectorType;
  market: BinanceMarket;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  recvWindowMs: number;
  /** Pause between lookups while an unknown placement outcome is being resolved. */
  resolvePollMs: number;
}

const UNKNOWN_ORDER = new Set(['-2011', '-2013']);
/**
 * errors.md: -1006 UNEXPECTED_RESP and -1007 TIMEOUT mean "execution status unknown", whatever
 * HTTP status carries them; the order may exist, so it is looked up, never taken as refused.
 */
const UNKNOWN_OUTCOME = new Set(['-1006', '-1007']);

/** A venue refusal as the connector interface reports it; request-shape codes (-11xx, filters) store nothing. */
export function toReject(err: VenueHttpError): VenueRejectError {
  const invalid = err.code === '-1013' || err.code.startsWith('-11') || err.code === '-4003' || err.code === '-4014';
  return new VenueRejectError(err.code, err.message || `HTTP ${err.status}`, invalid);
}

/** Orders, fills, balances and leverage over signed REST for one Binance market. */
export function createBinanceTrading(options: BinanceTradingOptions) {
  const { rest, market } = options;
  const paths = rest.paths;
  /** Cancels and lookups need the symbol; clientOrderIds seen by this connector are remembered. */
  const symbols = new Map<string, string>();
  const weights =
    market === 'spot' ? { query: 4, open: 80, trades: 20, account: 20 } : { query: 1, open: 40, trades: 5, account: 5 };

  const isUnknown = (err: unknown) => err instanceof VenueHttpError && UNKNOWN_ORDER.has(err.code);
  const rethrowUnlessUnknown = (err: unknown): undefined => {
    if (isUnknown(err)) return undefined;
    throw err;
  };

  async function queryClassic(params: Params, clientOrderId?: string): Promise<VenueOpenOrder | undefined> {
    try {
      const o = BinanceOrderSchema.parse(await rest.signed('GET', paths.order, params, weights.query));
      symbols.set(o.clientOrderId, o.symbol);
      return toOrderState(clientOrderId ? { ...o, clientOrderId } : o, market);
    } catch (err) {
      return rethrowUnlessUnknown(err);
    }
  }

  /** Futures: conditional orders of the Algo Service, by clientAlgoId (= our clientOrderId). */
  const algo = market === 'futures' ? createBinanceAlgoRest(rest) : undefined;
  const algoIds = new Set<string>();
  /** Real orders of triggered conditional orders: actualOrderId -> clientAlgoId. */
  const algoOfActual = new Map<string, string>();
  function rememberAlgo(clientOrderId: string, symbol: string, venueId?: string): void {
    algoIds.add(clientOrderId);
    symbols.set(clientOrderId, symbol);
    if (venueId && algoIdOf(venueId) === undefined) algoOfActual.set(venueId, clientOrderId);
  }
  /** A real order of a conditional one, under the conditional order's (our) clientOrderId. */
  const owned = <T extends { clientOrderId: string; externalId: string }>(o: T): T => {
    const cid = algoOfActual.get(o.externalId);
    return cid && cid !== o.clientOrderId ? { ...o, clientOrderId: cid } : o;
  };

  /** An algo order with, once triggered, its real order's progress (the Algo Service does not carry it). */
  async function withActual(a: BinanceAlgoOrder): Promise<VenueOpenOrder> {
    rememberAlgo(a.clientAlgoId, a.symbol, a.actualOrderId);
    const real = a.actualOrderId
      ? await queryClassic({ symbol: a.symbol, orderId: a.actualOrderId }, a.clientAlgoId)
      : undefined;
    return fromAlgoOrder(
      a,
      real
        ? { quantityExecuted: real.quantityExecuted, ...(real.averagePrice ? { averagePrice: real.averagePrice } : {}) }
        : undefined,
    );
  }

  async function queryAlgo(clientOrderId: string): Promise<VenueOpenOrder | undefined> {
    if (!algo) return undefined;
    const a = await algo.query({ clientAlgoId: clientOrderId }).catch(rethrowUnlessUnknown);
    return a ? withActual(a) : undefined;
  }

  /** Futures: an id not known to be conditional is looked up in the matching engine, then in the Algo Service. */
  async function queryOrder(clientOrderId: string, symbol: string): Promise<VenueOpenOrder | undefined> {
    if (algoIds.has(clientOrderId))
      return (await queryAlgo(clientOrderId)) ?? queryClassic({ symbol, origClientOrderId: clientOrderId });
    return (await queryClassic({ symbol, origClientOrderId: clientOrderId })) ?? queryAlgo(clientOrderId);
  }

  async function orderFills(symbol: string, externalId: string): Promise<VenueFill[]> {
    const algoId = algoIdOf(externalId);
    if (algoId !== undefined) {
      // A conditional order trades only through the real order it triggered.
      const a = algo ? await algo.query({ algoId }).catch(rethrowUnlessUnknown) : undefined;
      return a?.actualOrderId ? orderFills(symbol, a.actualOrderId) : [];
    }
    const trades = z
      .array(BinanceTradeSchema)
      .parse(await rest.signed('GET', paths.trades, { symbol, orderId: externalId }, weights.trades));
    return trades.map((t) => toFill(t, ''));
  }

  async function withFills(order: VenueOpenOrder, fills: VenueFill[]): Promise<VenuePlacement> {
    if (fills.length > 0 || new Money(order.quantityExecuted).isZero()) return { order, fills };
    const fetched = await orderFills(order.symbol, order.externalId);
    return { order, fills: fetched.map((f) => ({ ...f, clientOrderId: order.clientOrderId })) };
  }

  /**
   * The reply was lost, so the order may or may not exist. Look it up by clientOrderId until it
   * appears or until the venue's recvWindow has passed (after that it can no longer be accepted).
   * Never resent: a second POST could be a second order.
   */
  async function resolveUnknown(
    req: VenueOrderRequest,
    sentAt: number,
    cause: UnknownOutcomeError,
  ): Promise<VenuePlacement> {
    const lookup = isAlgoRequest(market, req)
      ? () => queryAlgo(req.clientOrderId)
      : () => queryOrder(req.clientOrderId, req.symbol);
    for (;;) {
      const found = await lookup().catch(() => undefined);
      if (found) return withFills(found, []);
      if (options.now() + rest.offset() > sentAt + options.recvWindowMs) {
        throw new VenueRejectError(
          'NOT_PLACED',
          `placement outcome was unknown (${cause.message}) and the venue has no such order after recvWindow`,
          false,
        );
      }
      await options.sleep(options.resolvePollMs);
    }
  }

  return {
    async place(req: VenueOrderRequest): Promise<VenuePlacement> {
      symbols.set(req.clientOrderId, req.symbol);
      let sentAt = options.now() + rest.offset();
      const sent = (ts: number) => (sentAt = ts);
      try {
        if (algo && isAlgoRequest(market, req)) {
          algoIds.add(req.clientOrderId);
          return { order: await withActual(await algo.place(req, sent)), fills: [] };
        }
        const reply = await rest.signed('POST', paths.order, toOrderParams(market, req), 1, { unsafe: true, sent });
        const o = BinanceOrderSchema.parse(reply);
        return await withFills(toOrderState(o, market), fillsOfPlacement(o));
      } catch (err) {
        if (err instanceof UnknownOutcomeError) return resolveUnknown(req, sentAt, err);
        if (err instanceof VenueHttpError && UNKNOWN_OUTCOME.has(err.code))
          return resolveUnknown(req, sentAt, new UnknownOutcomeError(`${err.code} ${err.message}`));
        if (err instanceof VenueHttpError && err.status >= 400 && err.status < 500) throw toReject(err);
        throw err;
      }
    },
    async cancel(clientOrderId: string) {
      const symbol = symbols.get(clientOrderId);
      // A conditional order not yet triggered is canceled in the Algo Service; once triggered, its real order is.
      if (algo && (algoIds.has(clientOrderId) || !symbol)) {
        try {
          const done = await algo.cancel(clientOrderId);
          return {
            clientOrderId,
            externalId: `algo-${done.algoId}`,
            symbol: symbol ?? '',
            status: 'CANCELED' as const,
            quantityExecuted: '0',
            updatedAt: options.now() + rest.offset(),
          };
        } catch (err) {
          if (!isUnknown(err) || !symbol) {
            if (err instanceof VenueHttpError && err.status >= 400 && err.status < 500) throw toReject(err);
            throw err;
          }
        }
      }
      if (!symbol)
        throw new VenueRejectError('UNKNOWN_ORDER', `order ${clientOrderId} is unknown to this connector`, false);
      // A triggered conditional order's real order is named by its id (its client id may be the venue's).
      const actual = [...algoOfActual].find(([, cid]) => cid === clientOrderId)?.[0];
      try {
        const o = BinanceOrderSchema.parse(
          await rest.signed(
            'DELETE',
            paths.order,
            actual ? { symbol, orderId: actual } : { symbol, origClientOrderId: clientOrderId },
            1,
          ),
        );
        // Spot answers with the cancel's own id in `clientOrderId`; the order's is `origClientOrderId`.
        return owned(toOrderState({ ...o, clientOrderId: o.origClientOrderId ?? o.clientOrderId }, market));
      } catch (err) {
        if (err instanceof VenueHttpError && err.status >= 400 && err.status < 500) throw toReject(err);
        throw err;
      }
    },
    queryOrder,
    orderFills,
    /**
     * The fills an `ALGO_UPDATE` implies: once the real order has executed, its trades, named by our
     * clientOrderId (the real order's own `ORDER_TRADE_UPDATE` may precede the update or carry another id).
     */
    async algoUpdateFills(state: VenueOrderState): Promise<VenueFill[]> {
      rememberAlgo(state.clientOrderId, state.symbol, state.externalId);
      if (new Money(state.quantityExecuted).isZero() || algoIdOf(state.externalId) !== undefined) return [];
      const fills = await orderFills(state.symbol, state.externalId);
      return fills.map((f) => ({ ...f, clientOrderId: state.clientOrderId }));
    },
    /** An order event of the matching engine, under our clientOrderId when it is a conditional order's real order. */
    owned,
    /** Futures: the matching engine's open orders and the Algo Service's untriggered ones. */
    async openOrders(): Promise<VenueOpenOrder[]> {
      const list = z.array(BinanceOrderSchema).parse(await rest.signed('GET', paths.openOrders, {}, weights.open));
      for (const o of list) symbols.set(o.clientOrderId, o.symbol);
      const open = list.map((o) => owned(toOrderState(o, market)));
      if (!algo) return open;
      // A triggered order's real order carries the clientAlgoId: listed once, with its progress.
      const listed = new Set(open.map((o) => o.clientOrderId));
      for (const a of await algo.open()) if (!listed.has(a.clientAlgoId)) open.push(await withActual(a));
      return open;
    },
    async account(): Promise<AccountSnapshot> {
      const base = { connectorType: options.type, marketType: market };
      if (market === 'spot') {
        const acc = BinanceSpotAccountSchema.parse(
          await rest.signed('GET', paths.account, { omitZeroBalances: 'true' }, weights.account),
        );
        const assets: Asset[] = acc.balances.map((b) => ({
          ...base,
          symbol: b.asset,
          walletBalance: new Money(b.free).plus(b.locked).toFixed(),
          availableBalance: b.free,
          lockedBalance: b.locked,
        }));
        return { assets, positions: [] };
      }
      const acc = BinanceFuturesAccountSchema.parse(await rest.signed('GET', paths.account, {}, weights.account));
      const assets: Asset[] = acc.assets.map((a) => ({
        ...base,
        symbol: a.asset,
        walletBalance: a.walletBalance,
        availableBalance: a.availableBalance,
      }));
      const positions: Position[] = acc.positions
        .filter((p) => !new Money(p.positionAmt).isZero() && new Money(p.entryPrice).gt(0))
        .map((p) => ({
          ...base,
          symbol: p.symbol,
          side: new Money(p.positionAmt).isNegative() ? 'SHORT' : 'LONG',
          quantity: new Money(p.positionAmt).abs().toFixed(),
          entryPrice: p.entryPrice,
          ...(p.unrealizedProfit !== undefined ? { unrealizedPnl: p.unrealizedProfit } : {}),
          ...(p.leverage !== undefined ? { leverage: Number(p.leverage) } : {}),
          ...(p.updateTime ? { updatedAt: p.updateTime } : {}),
        }));
      return { assets, positions };
    },
    async setLeverage(symbol: string, leverage: number): Promise<number> {
      if (market !== 'futures') throw new VenueRejectError('UNKNOWN_MARKET', 'leverage applies to futures only', true);
      try {
        const reply = z
          .looseObject({ leverage: z.number() })
          .parse(await rest.signed('POST', '/fapi/v1/leverage', { symbol, leverage }, 1));
        return reply.leverage;
      } catch (err) {
        if (err instanceof VenueHttpError && err.status >= 400 && err.status < 500) throw toReject(err);
        throw err;
      }
    },
  };
}

export type BinanceTrading = ReturnType<typeof createBinanceTrading>;
