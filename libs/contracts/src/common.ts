import {
  CONNECTOR_TYPE_VALUES,
  MARKET_TYPE_VALUES,
  ORDER_SIDE_VALUES,
  TIME_FRAME_VALUES,
  TRADE_SIDE_VALUES,
} from '@barfinex/enums';
import { z } from 'zod';

// Enum value arrays typed as readonly unions; z.enum needs a non-empty tuple type.
function enumOf<T extends string>(values: readonly T[]) {
  return z.enum(values as unknown as readonly [T, ...T[]]);
}

export const ConnectorTypeSchema = enumOf(CONNECTOR_TYPE_VALUES);
export const MarketTypeSchema = enumOf(MARKET_TYPE_VALUES);
export const TimeFrameSchema = enumOf(TIME_FRAME_VALUES);
export const OrderSideSchema = enumOf(ORDER_SIDE_VALUES);
export const TradeSideSchema = enumOf(TRADE_SIDE_VALUES);

/** Unix milliseconds, UTC. */
export const UnixMs = z.number().int().nonnegative().meta({ description: 'Unix time in milliseconds (UTC)' });

/** Exchange symbol as the venue spells it (`BTCUSDT`, `BTC/USD`, `AAPL`). */
export const SymbolName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._/:-]+$/, 'symbol may only contain letters, digits and . _ / : -');

/** A required identifier: ids, keys. */
export const Id = z.string().min(1).max(200);

// YYYY-MM-DD, or a date-time to the minute, second or fraction, with Z or an offset (none = UTC).
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isoToMs(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  // Date.parse rolls impossible dates over (2026-02-30 is 2 March): refuse them instead.
  if (days === undefined || Number(d) < 1 || Number(d) > days || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return undefined;
  let offset = 'Z';
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = digits.slice(0, 2);
    const om = digits.slice(2) || '00';
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    offset = `${zone[0]}${oh}:${om}`;
  }
  // The canonical form ECMAScript defines exactly; extra fraction digits are below a millisecond.
  return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, '0').slice(0, 3)}${offset}`);
}

/**
 * For query strings and bodies: Unix milliseconds (a whole number, or a string of digits) or an
 * ISO-8601 date (`2026-01-05`) or date-time (`2026-01-05T09:30:00Z`, `...+02:00`; without an offset
 * it is UTC); output is Unix ms. Anything else is refused: `Date.parse` read `-5` or `1.5` as dates in 2001.
 */
export const TimestampInput = z
  .union([z.number(), z.string()])
  .transform((input, ctx) => {
    const text = typeof input === 'string' ? input.trim() : '';
    const ms = typeof input === 'number' ? input : /^\d+$/.test(text) ? Number(text) : isoToMs(text);
    if (ms === undefined || !Number.isSafeInteger(ms) || ms < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected Unix milliseconds (a whole number) or an ISO-8601 date or date-time such as 2026-01-05 or 2026-01-05T09:30:00Z, got ${JSON.stringify(input)}`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .meta({
    description: 'Unix milliseconds (whole number) or an ISO-8601 date or date-time (UTC when it has no offset)',
  });

export { enumOf };
