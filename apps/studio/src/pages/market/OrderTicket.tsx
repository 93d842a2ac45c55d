import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ORDER_TYPE_VALUES, TIME_IN_FORCE_VALUES } from '@barfinex/enums';
import { providerRoutes } from '@barfinex/contracts';
import type { Instrument } from '@barfinex/contracts';
import type { ConnectorType, MarketType, OrderSide, OrderType, TimeInForce } from '@barfinex/enums';
import { useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { fieldErrors } from '../../lib/errors';
import { snapToStep } from '../../lib/format';
import {
  INITIAL_TICKET,
  TICKET_CODE_FIELDS,
  takesCallback,
  takesPrice,
  takesReduceOnly,
  takesStop,
  takesTimeInForce,
  ticketOrder,
} from './ticket';
import type { TicketState } from './ticket';

let sequence = 0;
const newClientOrderId = () => `studio-${Date.now().toString(36)}-${(sequence += 1)}`;

/** What each time in force means, for its option's title. */
const TIF_HINTS: Record<TimeInForce, string> = {
  GTC: 'good till cancelled: rests until filled or cancelled',
  IOC: 'immediate or cancel: fills what it can at once, the rest expires',
  FOK: 'fill or kill: fills entirely at once, or not at all',
};

interface Props {
  connectorType: ConnectorType;
  marketType: MarketType;
  instrument: Instrument | undefined;
  lastPrice: string | undefined;
}

/** A labelled field with its error below; `inline` puts a checkbox before its label. */
function Field({
  id,
  label,
  error,
  inline = false,
  children,
}: {
  id: string;
  label: React.ReactNode;
  error: string | undefined;
  inline?: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className="field">
      {inline ? (
        <label htmlFor={id} className="row check">
          {children}
          {label}
        </label>
      ) : (
        <>
          <label htmlFor={id}>{label}</label>
          {children}
        </>
      )}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Every order type the venue accepts; quantity and prices stepped by the symbol's filters. The
 * provider is the validator: its 400/422 issues are shown beside the field they name.
 */
export function OrderTicket({ connectorType, marketType, instrument, lastPrice }: Props) {
  const { client } = useSession();
  const [ticket, setTicket] = useState<TicketState>(INITIAL_TICKET);
  const set = <K extends keyof TicketState>(key: K, value: TicketState[K]) =>
    setTicket((t) => ({ ...t, [key]: value }));
  const { type } = ticket;
  const [placed, setPlaced] = useState<string | null>(null);

  // A read-only token sees the ticket with its buttons disabled and the missing scope as their title.
  const trade = useWriteGate(providerRoutes.placeOrder);
  const place = useMutation({
    mutationFn: (side: OrderSide) =>
      client.orders.create(
        ticketOrder(ticket, {
          connectorType,
          marketType,
          symbol: instrument?.symbol ?? '',
          side,
          clientOrderId: newClientOrderId(),
        }) as Parameters<typeof client.orders.create>[0],
      ),
    onSuccess: (order) =>
      setPlaced(
        `${order.side} ${order.type}${order.timeInForce ? ` ${order.timeInForce}` : ''}${order.reduceOnly ? ' reduce-only' : ''} ${order.quantity} ${order.symbol}: ${order.status}`,
      ),
    onMutate: () => setPlaced(null),
  });
  const { fields, general } = fieldErrors(place.error, TICKET_CODE_FIELDS);
  const submit = (side: OrderSide) => (e?: FormEvent) => {
    e?.preventDefault();
    place.mutate(side);
  };
  const tick = instrument?.tickSize;
  const step = instrument?.stepSize;
  const invalid = (name: string) =>
    fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `ticket-${name}-error` } : {};

  const snapped = (key: 'price' | 'stopPrice') => () => set(key, snapToStep(ticket[key], tick, 'nearest'));

  return (
    <form className="card stack" aria-label="Order ticket" onSubmit={submit('BUY')} data-testid="order-ticket">
      <h2>Order ticket · {instrument?.symbol ?? '—'}</h2>
      <Field id="ticket-type" label="Type" error={fields['type']}>
        <select id="ticket-type" value={type} onChange={(e) => set('type', e.target.value as OrderType)}>
          {ORDER_TYPE_VALUES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <Field id="ticket-quantity" label={`Quantity${step ? ` (step ${step})` : ''}`} error={fields['quantity']}>
        <input
          id="ticket-quantity"
          inputMode="decimal"
          value={ticket.quantity}
          onChange={(e) => set('quantity', e.target.value)}
          onBlur={() => set('quantity', snapToStep(ticket.quantity, step, 'floor'))}
          {...invalid('quantity')}
        />
      </Field>
      {takesPrice(type) ? (
        <Field id="ticket-price" label={`Price${tick ? ` (tick ${tick})` : ''}`} error={fields['price']}>
          <div className="row">
            <input
              id="ticket-price"
              inputMode="decimal"
              value={ticket.price}
              onChange={(e) => set('price', e.target.value)}
              onBlur={snapped('price')}
              {...invalid('price')}
            />
            <button
              type="button"
              className="ghost"
              disabled={!lastPrice}
              onClick={() => set('price', snapToStep(lastPrice ?? '', tick, 'nearest'))}
              title="Use the last price"
            >
              Last
            </button>
          </div>
        </Field>
      ) : null}
      {takesStop(type) ? (
        <Field id="ticket-stopPrice" label="Stop price" error={fields['stopPrice']}>
          <input
            id="ticket-stopPrice"
            inputMode="decimal"
            value={ticket.stopPrice}
            onChange={(e) => set('stopPrice', e.target.value)}
            onBlur={snapped('stopPrice')}
            {...invalid('stopPrice')}
          />
        </Field>
      ) : null}
      {takesCallback(type) ? (
        <Field id="ticket-callbackRate" label="Callback rate (%)" error={fields['callbackRate']}>
          <input
            id="ticket-callbackRate"
            inputMode="decimal"
            value={ticket.callbackRate}
            onChange={(e) => set('callbackRate', e.target.value)}
            {...invalid('callbackRate')}
          />
        </Field>
      ) : null}
      {takesTimeInForce(type) ? (
        <Field id="ticket-timeInForce" label="Time in force" error={fields['timeInForce']}>
          <select
            id="ticket-timeInForce"
            value={ticket.timeInForce}
            onChange={(e) => set('timeInForce', e.target.value as TimeInForce)}
            title={TIF_HINTS[ticket.timeInForce]}
            {...invalid('timeInForce')}
          >
            {TIME_IN_FORCE_VALUES.map((t) => (
              <option key={t} value={t} title={TIF_HINTS[t]}>
                {t}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {takesReduceOnly(marketType) ? (
        <Field
          id="ticket-reduceOnly"
          inline
          label={
            <span>
              Reduce-only <span className="muted">(never opens or grows the position)</span>
            </span>
          }
          error={fields['reduceOnly']}
        >
          <input
            id="ticket-reduceOnly"
            type="checkbox"
            checked={ticket.reduceOnly}
            onChange={(e) => set('reduceOnly', e.target.checked)}
            {...invalid('reduceOnly')}
          />
        </Field>
      ) : null}
      {marketType === 'futures' ? (
        <Field id="ticket-leverage" label="Leverage" error={fields['leverage']}>
          <input
            id="ticket-leverage"
            inputMode="numeric"
            placeholder="unchanged"
            value={ticket.leverage}
            onChange={(e) => set('leverage', e.target.value)}
            {...invalid('leverage')}
          />
        </Field>
      ) : null}
      {general ? (
        <p className="field-error" role="alert" data-testid="ticket-error">
          {general}
        </p>
      ) : null}
      {placed ? (
        <p className="muted" role="status" data-testid="ticket-placed">
          {placed}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="buy" {...trade.control(place.isPending || !instrument)}>
          Buy
        </button>
        <button
          type="button"
          className="sell"
          {...trade.control(place.isPending || !instrument)}
          onClick={() => submit('SELL')()}
        >
          Sell
        </button>
      </div>
    </form>
  );
}
