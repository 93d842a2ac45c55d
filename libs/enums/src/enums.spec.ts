import {
  ConnectorType,
  EVENT_SOURCE_VALUES,
  LIMIT_PRICED_ORDER_TYPES,
  STOP_PRICED_ORDER_TYPES,
  isLimitPricedOrderType,
  isStopPricedOrderType,
  ORDER_STATUS_VALUES,
  ORDER_TYPE_VALUES,
  OrderStatus,
  isConnectorType,
  isFinalOrderStatus,
  isMarketType,
  takesTimeInForce,
} from './index';

describe('enums', () => {
  it('has all ten order types', () => {
    expect(ORDER_TYPE_VALUES).toHaveLength(10);
  });

  it('has the sim connector and the reference ones', () => {
    expect(ConnectorType.sim).toBe('sim');
    expect(isConnectorType('testnetBinanceSpot')).toBe(true);
    expect(isConnectorType('kraken')).toBe(false);
    expect(isMarketType('futures')).toBe(true);
    expect(isMarketType('perp')).toBe(false);
  });

  it('separates final statuses from live ones', () => {
    expect(ORDER_STATUS_VALUES).toContain('PENDING_TRIGGER');
    expect(isFinalOrderStatus(OrderStatus.FILLED)).toBe(true);
    expect(isFinalOrderStatus(OrderStatus.PENDING_TRIGGER)).toBe(false);
  });

  it('names once which order types need a price and which a stopPrice', () => {
    expect(ORDER_TYPE_VALUES.filter(isLimitPricedOrderType)).toEqual([
      'LIMIT',
      'LIMIT_MAKER',
      'STOP',
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT_LIMIT',
      'TAKE_PROFIT',
    ]);
    expect(ORDER_TYPE_VALUES.filter(isStopPricedOrderType)).toEqual([
      'STOP',
      'STOP_MARKET',
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT_LIMIT',
      'TAKE_PROFIT_MARKET',
      'TAKE_PROFIT',
    ]);
    expect([...LIMIT_PRICED_ORDER_TYPES].sort()).toEqual(ORDER_TYPE_VALUES.filter(isLimitPricedOrderType).sort());
    expect([...STOP_PRICED_ORDER_TYPES].sort()).toEqual(ORDER_TYPE_VALUES.filter(isStopPricedOrderType).sort());
    expect(isStopPricedOrderType('TRAILING_STOP_MARKET')).toBe(false);
  });

  it('gives a time in force to the types that rest at a limit price, maker-only aside', () => {
    expect(ORDER_TYPE_VALUES.filter(takesTimeInForce)).toEqual([
      'LIMIT',
      'STOP',
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT_LIMIT',
      'TAKE_PROFIT',
    ]);
  });

  it('lists the four event sources', () => {
    expect([...EVENT_SOURCE_VALUES].sort()).toEqual(['ADVISOR', 'DETECTOR', 'INSPECTOR', 'PROVIDER']);
  });
});
