import { CONNECTOR_TYPE_VALUES, MARKET_TYPE_VALUES, ORDER_SIDE_VALUES, TIME_FRAME_VALUES, TRADE_SIDE_VALUES } from '@barfinex/enums';
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

/** For query strings: Unix ms (number or digits) or an ISO-8601 date; output is Unix ms. */
export const TimestampInput = z
  .union([z.number(), z.string()])
  .transform((input, ctx) => {
    const ms =
      typeof input === 'number' ? input : /^\d+$/.test(input.trim()) ? Number(input.trim()) : Date.parse(input);
    if (!Number.isSafeInteger(ms) || ms < 0) {
      ctx.addIssue({ code: 'custom', message: `expected Unix milliseconds or an ISO-8601 date, got ${JSON.stringify(input)}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'Unix milliseconds or an ISO-8601 date' });

export { enumOf };
