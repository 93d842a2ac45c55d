import { parseTimeFrame } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';
import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, SymbolName } from '../common';

const MARKET_ALIASES: Record<string, string> = { future: 'futures', perp: 'futures', perpetual: 'futures' };

/** `future`, `perp` and `perpetual` are accepted for `futures`, as reference clients send them. */
export const MarketTypeParam = z.preprocess(
  (v) => (typeof v === 'string' ? (MARKET_ALIASES[v.toLowerCase()] ?? v.toLowerCase()) : v),
  MarketTypeSchema,
);

/** Any spelling the TimeFrame parser knows (`min1`, `M1`, `1m`, `h4`, `D1`, `1M`...); junk is a 400, never a silent default. */
export const TimeFrameParam = z
  .string()
  .transform((raw, ctx): TimeFrame => {
    const tf = parseTimeFrame(raw);
    if (!tf) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown interval "${raw}" (use min1, min5, min15, min30, h1, h2, h4, day, week, month or 1m/5m/1h/1d/1w/1M)`,
      });
      return z.NEVER;
    }
    return tf;
  })
  .meta({ description: 'Time frame: min1…month, or aliases such as M1, 1m, H4, D1, 1M' });

export const SymbolParam = SymbolName.transform((s) => s.toUpperCase());

export const ConnectorMarketParams = z.object({ connectorType: ConnectorTypeSchema, marketType: MarketTypeParam });

export const OkSchema = z.object({ ok: z.boolean() });
