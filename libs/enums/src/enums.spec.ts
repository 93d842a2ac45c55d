import {
  ConnectorType,
  EVENT_SOURCE_VALUES,
  ORDER_STATUS_VALUES,
  ORDER_TYPE_VALUES,
  OrderStatus,
  isConnectorType,
  isFinalOrderStatus,
  isMarketType,
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

  it('lists the four event sources', () => {
    expect([...EVENT_SOURCE_VALUES].sort()).toEqual(['ADVISOR', 'DETECTOR', 'INSPECTOR', 'PROVIDER']);
  });
});
