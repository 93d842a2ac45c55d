import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ORDER_TYPE_VALUES, OrderType, isTriggeredOrderType } from '@barfinex/enums';
import type { Instrument } from '@barfinex/contracts';
import type { ConnectorType, MarketType, OrderSide } from '@barfinex/enums';
import { needsScope, useCan } from '../../app/access';
import { useSession } from '../../app/session';
import { fieldErrors } from '../../lib/errors';
import { snapToStep } from '../../lib/format';

// Which fields an order type takes, from the type's own name and the enums' trigger set.
const takesPrice = (type: OrderType) => !type.endsWith('MARKET');
const takesStop = (type: OrderType) => isTriggeredOrderType(type) && type !== OrderType.TRAILING_STOP_MARKET;
const takesCallback = (type: OrderType) => type === OrderType.TRAILING_STOP_MARKET;

let sequence = 0;
const newClientOrderId = () => `studio-${Date.now().toString(36)}-${(sequence += 1)}`;

interface Props {
  connectorType: ConnectorType;
  marketType: MarketType;
  instrument: Instrument | undefined;
  lastPrice: string | undefined;
}

function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
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
  const [type, setType] = useState<OrderType>(OrderType.LIMIT);
  const [quantity, setQuantity] = useState('');
  const [price, setPrice] = useState('');
  const [stopPrice, setStopPrice] = useState('');
  const [callbackRate, setCallbackRate] = useState('1');
  const [leverage, setLeverage] = useState('');
  const [placed, setPlaced] = useState<string | null>(null);

  // Placing an order needs `trade`: a read-only token sees the ticket with its buttons disabled.
  const canTrade = useCan('trade');
  const place = useMutation({
    mutationFn: (side: OrderSide) =>
      client.orders.create({
        symbol: instrument?.symbol ?? '',
        side,
        type,
        quantity,
        connectorType,
        marketType,
        clientOrderId: newClientOrderId(),
        // An empty field is left out, so the provider names what is missing.
        ...(takesPrice(type) && price.trim() !== '' ? { price } : {}),
        ...(takesStop(type) && stopPrice.trim() !== '' ? { stopPrice } : {}),
        ...(takesCallback(type) ? { callbackRate } : {}),
        ...(marketType === 'futures' && leverage ? { leverage: Number(leverage) } : {}),
      } as Parameters<typeof client.orders.create>[0]),
    onSuccess: (order) => setPlaced(`${order.side} ${order.type} ${order.quantity} ${order.symbol}: ${order.status}`),
    onMutate: () => setPlaced(null),
  });
  const { fields, general } = fieldErrors(place.error);
  const submit = (side: OrderSide) => (e?: FormEvent) => {
    e?.preventDefault();
    place.mutate(side);
  };
  const tick = instrument?.tickSize;
  const step = instrument?.stepSize;
  const invalid = (name: string) =>
    fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `ticket-${name}-error` } : {};

  return (
    <form className="card stack" aria-label="Order ticket" onSubmit={submit('BUY')} data-testid="order-ticket">
      <h2>Order ticket · {instrument?.symbol ?? '—'}</h2>
      <Field id="ticket-type" label="Type" error={fields['type']}>
        <select id="ticket-type" value={type} onChange={(e) => setType(e.target.value as OrderType)}>
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
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
          onBlur={() => setQuantity((q) => snapToStep(q, step, 'floor'))}
          {...invalid('quantity')}
        />
      </Field>
      {takesPrice(type) ? (
        <Field id="ticket-price" label={`Price${tick ? ` (tick ${tick})` : ''}`} error={fields['price']}>
          <div className="row">
            <input
              id="ticket-price"
              inputMode="decimal"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
              onBlur={() => setPrice((p) => snapToStep(p, tick, 'nearest'))}
              {...invalid('price')}
            />
            <button
              type="button"
              className="ghost"
              disabled={!lastPrice}
              onClick={() => setPrice(snapToStep(lastPrice ?? '', tick, 'nearest'))}
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
            value={stopPrice}
            onChange={(e) => setStopPrice(e.target.value)}
            onBlur={() => setStopPrice((p) => snapToStep(p, tick, 'nearest'))}
            {...invalid('stopPrice')}
          />
        </Field>
      ) : null}
      {takesCallback(type) ? (
        <Field id="ticket-callbackRate" label="Callback rate (%)" error={fields['callbackRate']}>
          <input
            id="ticket-callbackRate"
            inputMode="decimal"
            value={callbackRate}
            onChange={(e) => setCallbackRate(e.target.value)}
            {...invalid('callbackRate')}
          />
        </Field>
      ) : null}
      {marketType === 'futures' ? (
        <Field id="ticket-leverage" label="Leverage" error={fields['leverage']}>
          <input
            id="ticket-leverage"
            inputMode="numeric"
            placeholder="unchanged"
            value={leverage}
            onChange={(e) => setLeverage(e.target.value)}
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
        <button
          type="submit"
          className="buy"
          disabled={place.isPending || !instrument || !canTrade}
          title={canTrade ? undefined : needsScope('trade')}
        >
          Buy
        </button>
        <button
          type="button"
          className="sell"
          disabled={place.isPending || !instrument || !canTrade}
          title={canTrade ? undefined : needsScope('trade')}
          onClick={() => submit('SELL')()}
        >
          Sell
        </button>
      </div>
    </form>
  );
}
