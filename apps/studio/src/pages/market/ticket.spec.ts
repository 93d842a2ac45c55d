import { INITIAL_TICKET, ticketOrder } from './ticket';

const where = {
  connectorType: 'sim',
  symbol: 'BTCUSDT',
  side: 'BUY',
  clientOrderId: 'c-1',
} as const;

describe('ticketOrder', () => {
  it('sends the time in force with the types that rest at a price, never with a market order', () => {
    const limit = ticketOrder(
      { ...INITIAL_TICKET, quantity: '0.01', price: '100', timeInForce: 'IOC' },
      { ...where, marketType: 'spot' },
    );
    expect(limit).toMatchObject({ type: 'LIMIT', price: '100', timeInForce: 'IOC' });
    const market = ticketOrder(
      { ...INITIAL_TICKET, type: 'MARKET', quantity: '0.01', price: '100', timeInForce: 'FOK' },
      { ...where, marketType: 'spot' },
    );
    expect(market).not.toHaveProperty('timeInForce');
    expect(market).not.toHaveProperty('price');
    const maker = ticketOrder(
      { ...INITIAL_TICKET, type: 'LIMIT_MAKER', quantity: '0.01', price: '100', timeInForce: 'IOC' },
      { ...where, marketType: 'spot' },
    );
    expect(maker).not.toHaveProperty('timeInForce');
  });

  it('sends reduce-only and leverage on futures only', () => {
    const t = { ...INITIAL_TICKET, type: 'MARKET' as const, quantity: '0.01', reduceOnly: true, leverage: '5' };
    expect(ticketOrder(t, { ...where, marketType: 'futures' })).toMatchObject({ reduceOnly: true, leverage: 5 });
    const spot = ticketOrder(t, { ...where, marketType: 'spot' });
    expect(spot).not.toHaveProperty('reduceOnly');
    expect(spot).not.toHaveProperty('leverage');
    expect(ticketOrder({ ...t, reduceOnly: false }, { ...where, marketType: 'futures' })).not.toHaveProperty(
      'reduceOnly',
    );
  });
});
