import { OrderCloseRequestSchema, OrderCreateRequestSchema, OrderSchema } from './order';

const fields = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: 0.01,
  price: '65000.50',
  connectorType: 'sim',
  marketType: 'futures',
};

function messages(input: unknown): string[] {
  const result = OrderCreateRequestSchema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('OrderCreateRequestSchema', () => {
  it('accepts top-level fields and normalises decimals', () => {
    expect(OrderCreateRequestSchema.parse(fields)).toEqual({ ...fields, quantity: '0.01', price: '65000.5' });
  });

  it('accepts the reference shape wrapped as { order }', () => {
    const wrapped = OrderCreateRequestSchema.parse({
      order: { ...fields, clientOrderId: 'c-1', source: { type: 'inspector' } },
    });
    expect(wrapped).toMatchObject({
      symbol: 'BTCUSDT',
      quantity: '0.01',
      clientOrderId: 'c-1',
      source: { type: 'inspector' },
    });
  });

  it('rejects non-positive quantities with the field in the message', () => {
    expect(messages({ ...fields, quantity: 0 })).toEqual(['quantity: must be greater than 0, got 0']);
    expect(messages({ order: { ...fields, quantity: '-1' } })).toEqual(['quantity: must be greater than 0, got -1']);
  });

  it('rejects malformed decimals readably', () => {
    const [message] = messages({ ...fields, price: '65,000' });
    expect(message).toMatch(/^price: expected a decimal such as "0.015".*"65,000"/);
    expect(messages({ ...fields, quantity: 'NaN' })[0]).toMatch(/^quantity:/);
  });

  it('requires the prices an order type needs', () => {
    expect(messages({ ...fields, price: undefined })).toEqual(['price: price is required for LIMIT orders']);
    expect(messages({ ...fields, type: 'STOP_MARKET' })).toEqual([
      'stopPrice: stopPrice is required for STOP_MARKET orders',
    ]);
    expect(messages({ ...fields, type: 'TRAILING_STOP_MARKET' })[0]).toMatch(/callbackRate is required/);
    const market = OrderCreateRequestSchema.parse({ ...fields, type: 'MARKET', price: undefined });
    expect(market.type).toBe('MARKET');
  });

  it('rejects unknown enum values and missing fields', () => {
    const issues = messages({
      symbol: 'BTCUSDT',
      side: 'HOLD',
      type: 'LIMIT',
      price: 1,
      quantity: 1,
      connectorType: 'kraken',
    });
    expect(issues.some((m) => m.startsWith('side:'))).toBe(true);
    expect(issues.some((m) => m.startsWith('connectorType:'))).toBe(true);
    expect(issues.some((m) => m.startsWith('marketType:'))).toBe(true);
    expect(messages('nope')).toHaveLength(1);
  });
});

describe('OrderCloseRequestSchema', () => {
  it('accepts { id } and { order: { id } }', () => {
    expect(OrderCloseRequestSchema.parse({ id: 'o-1' })).toEqual({ id: 'o-1' });
    expect(OrderCloseRequestSchema.parse({ order: { id: 'o-1', symbol: 'BTCUSDT' } })).toEqual({ id: 'o-1' });
    expect(OrderCloseRequestSchema.safeParse({}).success).toBe(false);
  });
});

describe('OrderSchema', () => {
  it('round-trips an order through JSON', () => {
    const order = OrderSchema.parse({
      id: 'o-1',
      clientOrderId: 'c-1',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'STOP_MARKET',
      status: 'PENDING_TRIGGER',
      stopPrice: 64000,
      quantity: '0.010',
      quantityExecuted: 0,
      connectorType: 'sim',
      marketType: 'futures',
      source: { type: 'inspector', key: 'inspector' },
      createdAt: 1,
      updatedAt: 1,
    });
    expect(order.quantity).toBe('0.01');
    expect(OrderSchema.parse(JSON.parse(JSON.stringify(order)))).toEqual(order);
  });
});
