import { fireEvent, screen, waitFor } from '@testing-library/react';
import { AppError } from '@barfinex/contracts';
import type { Instrument, Order } from '@barfinex/contracts';
import { renderSignedIn } from '../../testing/session';
import { OrderTicket } from './OrderTicket';

const instrument = { symbol: 'BTCUSDT', tickSize: '0.01', stepSize: '0.001' } as Instrument;
const ticket = (marketType: 'spot' | 'futures') => (
  <OrderTicket connectorType="sim" marketType={marketType} instrument={instrument} lastPrice="100" />
);
const placedOrder = (body: Record<string, unknown>) =>
  ({ ...body, id: 'o-1', status: 'NEW', quantityExecuted: '0' }) as unknown as Order;

describe('OrderTicket', () => {
  it('offers a time in force only for the types that take one', () => {
    renderSignedIn(ticket('spot'), { scopes: ['read', 'trade'] });
    expect(screen.getByLabelText('Time in force')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'MARKET' } });
    expect(screen.queryByLabelText('Time in force')).toBeNull();
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'STOP_LOSS_LIMIT' } });
    expect(screen.getByLabelText('Time in force')).toBeTruthy();
  });

  it('offers reduce-only on futures only', () => {
    renderSignedIn(ticket('spot'), { scopes: ['read', 'trade'] });
    expect(screen.queryByLabelText(/Reduce-only/)).toBeNull();
    renderSignedIn(ticket('futures'), { scopes: ['read', 'trade'] });
    expect(screen.getByLabelText(/Reduce-only/)).toBeTruthy();
  });

  it('sends the time in force and reduce-only it shows', async () => {
    const create = jest.fn(async (body: Record<string, unknown>) => placedOrder(body));
    renderSignedIn(ticket('futures'), { scopes: ['read', 'trade'], client: { orders: { create } } });
    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '0.002' } });
    fireEvent.change(screen.getByLabelText(/^Price/), { target: { value: '101.5' } });
    fireEvent.change(screen.getByLabelText('Time in force'), { target: { value: 'FOK' } });
    fireEvent.click(screen.getByLabelText(/Reduce-only/));
    fireEvent.click(screen.getByRole('button', { name: 'Sell' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(create.mock.calls[0]?.[0]).toMatchObject({
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.002',
      price: '101.5',
      timeInForce: 'FOK',
      reduceOnly: true,
      marketType: 'futures',
    });
    expect((await screen.findByTestId('ticket-placed')).textContent).toContain('SELL LIMIT FOK reduce-only');
  });

  it("shows the venue's reduce-only refusal beside the reduce-only box", async () => {
    const create = jest.fn(async () => {
      const message = 'reduce-only BUY would open or increase the BTCUSDT position';
      // As the SDK raises a 422: the provider's error body under `upstream`.
      throw new AppError('ORDER_REJECTED', message, {
        details: {
          upstream: { status: 422, error: { code: 'ORDER_REJECTED', message, details: { reason: 'REDUCE_ONLY' } } },
        },
      });
    });
    renderSignedIn(ticket('futures'), { scopes: ['trade'], client: { orders: { create } } });
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'MARKET' } });
    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '0.001' } });
    fireEvent.click(screen.getByLabelText(/Reduce-only/));
    fireEvent.click(screen.getByRole('button', { name: 'Buy' }));
    const error = await screen.findByTestId('ticket-reduceOnly-error');
    expect(error.textContent).toContain('would open or increase');
    expect(screen.getByLabelText(/Reduce-only/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('ticket-error')).toBeNull();
  });

  it('disables Buy and Sell for a token without trade, naming the scope', () => {
    renderSignedIn(ticket('spot'), { scopes: ['read'] });
    for (const name of ['Buy', 'Sell']) {
      const button = screen.getByRole('button', { name }) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.title).toBe('needs a token with the "trade" scope');
    }
  });
});
