import { ORDER_TYPE_VALUES } from '@barfinex/enums';
import type { OrderType } from '@barfinex/enums';
import { VenueRejectError } from '../connector';
import type { VenueOrderRequest } from '../connector';
import type { BinanceMarket } from './binance-hosts';
import { fromAlgoOrder, fromAlgoUpdate, isAlgoRequest, toAlgoParams } from './binance-algo';
import { canonicalOrderType, orderTypeOf, toOrderParams, toOrderState, venueOrderTypeOf } from './binance-mappers';
import { AlgoUpdateSchema } from './binance-schemas';
import type { BinanceOrder } from './binance-schemas';

/** The order types each Binance market documents (spot API "ENUM Definitions", USD-M futures "Order types"). */
const VENUE_ORDER_TYPES: Record<BinanceMarket, readonly string[]> = {
  spot: ['LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'],
  futures: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
};
/** What each of our types is on each market (undefined: that market has no such order). */
const EXPECTED: Record<BinanceMarket, Record<OrderType, string | undefined>> = {
  spot: {
    LIMIT: 'LIMIT',
    LIMIT_MAKER: 'LIMIT_MAKER',
    MARKET: 'MARKET',
    STOP: 'STOP_LOSS_LIMIT',
    STOP_LOSS_LIMIT: 'STOP_LOSS_LIMIT',
    STOP_MARKET: 'STOP_LOSS',
    TAKE_PROFIT: 'TAKE_PROFIT_LIMIT',
    TAKE_PROFIT_LIMIT: 'TAKE_PROFIT_LIMIT',
    TAKE_PROFIT_MARKET: 'TAKE_PROFIT',
    TRAILING_STOP_MARKET: undefined,
  },
  futures: {
    LIMIT: 'LIMIT',
    LIMIT_MAKER: 'LIMIT',
    MARKET: 'MARKET',
    STOP: 'STOP',
    STOP_LOSS_LIMIT: 'STOP',
    STOP_MARKET: 'STOP_MARKET',
    TAKE_PROFIT: 'TAKE_PROFIT',
    TAKE_PROFIT_LIMIT: 'TAKE_PROFIT',
    TAKE_PROFIT_MARKET: 'TAKE_PROFIT_MARKET',
    TRAILING_STOP_MARKET: 'TRAILING_STOP_MARKET',
  },
};
const MARKETS: BinanceMarket[] = ['spot', 'futures'];
const request = (type: OrderType): VenueOrderRequest => ({
  clientOrderId: 'cid-1',
  symbol: 'BTCUSDT',
  side: 'SELL',
  type,
  quantity: '0.01',
  price: '90000',
  stopPrice: '89000',
  callbackRate: '1',
});
/** The venue's echo of a placement made with `params`, as the REST reply or an open-orders row. */
const echo = (params: Record<string, unknown>): BinanceOrder => ({
  symbol: 'BTCUSDT',
  orderId: 7,
  clientOrderId: 'cid-1',
  price: '90000',
  origQty: '0.01',
  executedQty: '0',
  status: 'NEW',
  type: String(params.type),
  side: 'SELL',
  stopPrice: '89000',
  time: 1,
  ...(params.timeInForce ? { timeInForce: String(params.timeInForce) } : {}),
});

describe('binance order types out and back', () => {
  const cases = MARKETS.flatMap((market) =>
    ORDER_TYPE_VALUES.map((type) => ({ market, type, venue: EXPECTED[market][type] })),
  );

  /** USD-M conditional types go through the Algo Service ("New Algo Order"), the rest to the classic endpoint. */
  const algoOnly = (c: { market: BinanceMarket; type: OrderType }) => isAlgoRequest(c.market, c);

  it.each(cases.filter((c) => algoOnly(c)))(
    'futures $type is sent to the Algo Service as $venue and comes back as the same order',
    ({ type, venue }) => {
      const params = toAlgoParams(request(type));
      expect(params).toMatchObject({ algoType: 'CONDITIONAL', type: venue, clientAlgoId: 'cid-1', quantity: '0.01' });
      // A trailing stop has no trigger price: it is armed at activatePrice and fires on callbackRate.
      if (venue === 'TRAILING_STOP_MARKET')
        expect(params).toMatchObject({ activatePrice: '89000', callbackRate: '1', triggerPrice: undefined });
      else expect(params).toMatchObject({ triggerPrice: '89000', activatePrice: undefined });
      const back = fromAlgoOrder({
        algoId: 9,
        clientAlgoId: 'cid-1',
        orderType: String(params.type),
        symbol: 'BTCUSDT',
        side: 'SELL',
        quantity: '0.01',
        algoStatus: 'NEW',
        actualOrderId: '',
        triggerPrice: '89000',
      });
      expect(back).toMatchObject({ type: canonicalOrderType(type), status: 'PENDING_TRIGGER', externalId: 'algo-9' });
    },
  );

  it.each(cases.filter((c) => c.venue !== undefined && !algoOnly(c)))(
    '$market $type is sent as $venue and comes back as the same order',
    ({ market, type, venue }) => {
      const params = toOrderParams(market, request(type));
      expect(params.type).toBe(venue);
      expect(VENUE_ORDER_TYPES[market]).toContain(params.type);
      expect(toOrderState(echo(params), market).type).toBe(canonicalOrderType(type));
    },
  );

  it.each(cases.filter((c) => c.venue === undefined))(
    '$market $type is refused before sending, as a bad request',
    ({ market, type }) => {
      expect(() => toOrderParams(market, request(type))).toThrow(VenueRejectError);
      expect(() => toOrderParams(market, request(type))).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_ORDER_TYPE', invalidRequest: true }),
      );
    },
  );

  it.each(MARKETS.flatMap((market) => VENUE_ORDER_TYPES[market].map((venueType) => ({ market, venueType }))))(
    'every documented $market type $venueType maps to one of ours and back to itself',
    ({ market, venueType }) => {
      const ours = orderTypeOf(market, venueType);
      expect(ours).toBeDefined();
      expect(venueOrderTypeOf(market, ours as OrderType)).toEqual({ type: venueType });
    },
  );

  it('reads the spot names that differ from ours as the orders we sent', () => {
    expect(orderTypeOf('spot', 'TAKE_PROFIT')).toBe('TAKE_PROFIT_MARKET');
    expect(orderTypeOf('spot', 'STOP_LOSS')).toBe('STOP_MARKET');
    expect(orderTypeOf('spot', 'STOP_LOSS_LIMIT')).toBe('STOP');
    expect(orderTypeOf('spot', 'TAKE_PROFIT_LIMIT')).toBe('TAKE_PROFIT');
    expect(orderTypeOf('futures', 'TAKE_PROFIT')).toBe('TAKE_PROFIT');
  });

  it('sends a futures post-only limit as LIMIT GTX and reads it back as LIMIT_MAKER without a GTX time in force', () => {
    const params = toOrderParams('futures', request('LIMIT_MAKER'));
    expect(params).toMatchObject({ type: 'LIMIT', timeInForce: 'GTX' });
    const state = toOrderState(echo(params), 'futures');
    expect(state.type).toBe('LIMIT_MAKER');
    expect(state.timeInForce).toBeUndefined();
    expect(toOrderState(echo({ type: 'LIMIT', timeInForce: 'GTC' }), 'futures')).toMatchObject({
      type: 'LIMIT',
      timeInForce: 'GTC',
    });
  });

  it('marks an untriggered spot take-profit-market as pending its trigger', () => {
    expect(toOrderState(echo({ type: 'TAKE_PROFIT' }), 'spot')).toMatchObject({
      type: 'TAKE_PROFIT_MARKET',
      status: 'PENDING_TRIGGER',
    });
  });

  it('refuses to adopt an order of a type the platform does not model, naming it', () => {
    expect(() => toOrderState(echo({ type: 'LIQUIDATION' }), 'futures')).toThrow(/LIQUIDATION/);
    expect(orderTypeOf('futures', 'LIQUIDATION')).toBeUndefined();
  });
});

describe('Binance USD-M ALGO_UPDATE ("Event: Algo Order Update")', () => {
  /** The documented example, with the status and the real order's progress varied. */
  const update = (o: Record<string, unknown>) =>
    fromAlgoUpdate(
      AlgoUpdateSchema.parse({
        e: 'ALGO_UPDATE',
        T: 1750515742297,
        E: 1750515742303,
        o: {
          caid: 'Q5xaq5EGKgXXa0fD7fs0Ip',
          aid: 2148719,
          at: 'CONDITIONAL',
          o: 'TAKE_PROFIT',
          s: 'BNBUSDT',
          S: 'SELL',
          ps: 'BOTH',
          f: 'GTC',
          q: '0.01',
          X: 'CANCELED',
          ai: '',
          ap: '0.00000',
          aq: '0.00000',
          act: '0',
          tp: '750',
          p: '750',
          V: 'EXPIRE_MAKER',
          wt: 'CONTRACT_PRICE',
          pm: 'NONE',
          cp: false,
          pP: false,
          R: false,
          tt: 0,
          gtd: 0,
          rm: 'Reduce Only reject',
          ...o,
        },
      }),
    );

  it.each([
    ['NEW', {}, 'PENDING_TRIGGER'],
    ['TRIGGERING', {}, 'PENDING_TRIGGER'],
    ['TRIGGERED', { ai: '88937381063' }, 'NEW'],
    ['TRIGGERED', { ai: '88937381063', aq: '0.004' }, 'PARTIALLY_FILLED'],
    ['FINISHED', { ai: '88937381063', aq: '0.01', ap: '750.5' }, 'FILLED'],
    ['FINISHED', { ai: '88937381063', aq: '0.004' }, 'CANCELED'],
    ['CANCELED', {}, 'CANCELED'],
    ['REJECTED', {}, 'REJECTED'],
    ['EXPIRED', {}, 'EXPIRED'],
  ])('%s %o is %s', (X, extra, status) => {
    expect(update({ X, ...extra }).status).toBe(status);
  });

  it('names the order by clientAlgoId, its venue id the algo until triggered and the real order after', () => {
    expect(update({ X: 'NEW' })).toMatchObject({ clientOrderId: 'Q5xaq5EGKgXXa0fD7fs0Ip', externalId: 'algo-2148719' });
    expect(update({ X: 'FINISHED', ai: '88937381063', aq: '0.01', ap: '750.5' })).toMatchObject({
      externalId: '88937381063',
      quantityExecuted: '0.01',
      averagePrice: '750.5',
    });
    expect(update({ X: 'REJECTED' }).rejectReason).toBe('Reduce Only reject');
    expect(update({ X: 'CANCELED' }).rejectReason).toBeUndefined();
  });
});
