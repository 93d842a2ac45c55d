import { screen } from '@testing-library/react';
import type { Order } from '@barfinex/contracts';
import { renderSignedIn } from '../../testing/session';
import { OpenOrders, applyOrderEvent, openOrdersKey } from './OpenOrders';

const order = (id: string, status: Order['status']): Order => ({ id, status }) as Order;

describe('applyOrderEvent', () => {
  it('adds a new working order on top and removes it once it is final', () => {
    const open = applyOrderEvent([order('a', 'NEW')], order('b', 'NEW'));
    expect(open.map((o) => o.id)).toEqual(['b', 'a']);
    expect(applyOrderEvent(open, order('b', 'CANCELED')).map((o) => o.id)).toEqual(['a']);
  });
});

describe('OpenOrders', () => {
  const resting = {
    id: 'o-1',
    clientOrderId: 'c-1',
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    status: 'NEW',
    timeInForce: 'GTC',
    reduceOnly: true,
    price: '70000',
    quantity: '0.001',
    quantityExecuted: '0',
    connectorType: 'sim',
    marketType: 'futures',
    source: { type: 'provider' },
    createdAt: 1,
    updatedAt: 1,
  } as Order;
  const orders = { open: async () => ({ data: [resting] }) };
  const table = (scopes: ('read' | 'trade')[]) =>
    renderSignedIn(<OpenOrders connectorType="sim" marketType="futures" tickSize="0.01" stepSize="0.001" />, {
      scopes,
      client: { orders },
    });

  it("shows each order's time in force and whether it is reduce-only", async () => {
    table(['read', 'trade']);
    const row = (await screen.findByText('c-1')).closest('tr');
    expect(row?.textContent).toContain('GTC');
    expect(row?.textContent).toContain('reduce-only');
  });

  it('disables cancel and replace for a token without trade, naming the scope', async () => {
    table(['read']);
    for (const name of ['Replace order c-1', 'Cancel order c-1']) {
      const button = (await screen.findByRole('button', { name })) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.title).toBe('needs a token with the "trade" scope');
    }
  });

  it('enables them with trade', async () => {
    table(['read', 'trade']);
    expect(((await screen.findByRole('button', { name: 'Cancel order c-1' })) as HTMLButtonElement).disabled).toBe(
      false,
    );
    expect((screen.getByRole('button', { name: 'Replace order c-1' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('asks again on mount, so an order that closed while the list was not shown does not linger', async () => {
    const open = jest.fn(async () => ({ data: [] as Order[] }));
    renderSignedIn(<OpenOrders connectorType="sim" marketType="futures" />, {
      scopes: ['read'],
      client: { orders: { open } },
      cached: [[openOrdersKey('sim', 'futures'), [resting]]],
    });
    await screen.findByText('No open orders on sim/futures.');
    expect(open).toHaveBeenCalledTimes(1);
  });
});
