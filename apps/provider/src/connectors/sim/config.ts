import { z } from 'zod';
import { decimalText } from './schema-helpers';

export const SimMarketType = { spot: 'spot', futures: 'futures' } as const;
export type SimMarketType = (typeof SimMarketType)[keyof typeof SimMarketType];
export const SIM_MARKET_TYPES: readonly SimMarketType[] = [SimMarketType.spot, SimMarketType.futures];
export const SimMarketTypeSchema = z.enum([SimMarketType.spot, SimMarketType.futures]);

export const SimSymbolConfigSchema = z.object({
  symbol: z.string().regex(/^[A-Z0-9]{2,30}$/, 'upper-case letters and digits, e.g. BTCUSDT'),
  baseAsset: z.string().regex(/^[A-Z0-9]{1,15}$/),
  quoteAsset: z.string().regex(/^[A-Z0-9]{1,15}$/),
  /** Starting price; rounded to the tick size. */
  price: decimalText('positive'),
  tickSize: decimalText('positive'),
  stepSize: decimalText('positive'),
  minQty: decimalText('positive'),
  maxQty: decimalText('positive'),
  minNotional: decimalText('nonNegative'),
  minPrice: decimalText('positive'),
  maxPrice: decimalText('positive'),
  /** Annualised GBM drift and volatility (0.5 = 50 %/year). */
  drift: z.number().finite().default(0),
  volatility: z.number().finite().min(0).max(10).default(0.5),
  /** Base-asset size of the best book level; deeper levels grow by `depthGrowth` each. */
  bookDepth: decimalText('positive'),
  /** Mean base-asset size of a simulated trade (sizes are exponential around it). */
  tradeSize: decimalText('positive'),
  markets: z.array(SimMarketTypeSchema).min(1).default([SimMarketType.spot, SimMarketType.futures]),
});
export type SimSymbolConfig = z.output<typeof SimSymbolConfigSchema>;
export type SimSymbolConfigInput = z.input<typeof SimSymbolConfigSchema>;

export const DEFAULT_SIM_SYMBOLS: SimSymbolConfigInput[] = [
  {
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    price: '60000',
    tickSize: '0.01',
    stepSize: '0.00001',
    minQty: '0.00001',
    maxQty: '9000',
    minNotional: '5',
    minPrice: '0.01',
    maxPrice: '1000000',
    volatility: 0.5,
    bookDepth: '0.5',
    tradeSize: '0.02',
  },
  {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    price: '3000',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    maxQty: '100000',
    minNotional: '5',
    minPrice: '0.01',
    maxPrice: '1000000',
    volatility: 0.6,
    bookDepth: '8',
    tradeSize: '0.3',
  },
  {
    symbol: 'SOLUSDT',
    baseAsset: 'SOL',
    quoteAsset: 'USDT',
    price: '150',
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '1000000',
    minNotional: '5',
    minPrice: '0.01',
    maxPrice: '100000',
    volatility: 0.8,
    bookDepth: '150',
    tradeSize: '5',
  },
];

const FeeSchema = z.object({ maker: decimalText('nonNegative'), taker: decimalText('nonNegative') });

export const SimConfigSchema = z.object({
  /** Global seed; each symbol's generator is derived from it and the symbol name. */
  seed: z.union([z.number().finite(), z.string()]).default(1),
  symbols: z.array(SimSymbolConfigSchema).min(1).prefault(DEFAULT_SIM_SYMBOLS),
  /** Fee rates as fractions (0.001 = 0.1 %). */
  fees: z
    .object({
      spot: FeeSchema.prefault({ maker: '0.001', taker: '0.001' }),
      futures: FeeSchema.prefault({ maker: '0.0002', taker: '0.0005' }),
    })
    .prefault({}),
  /** Starting balances of every new account, per market and asset. */
  balances: z
    .object({
      spot: z.record(z.string(), decimalText('nonNegative')).prefault({ USDT: '100000', BTC: '1' }),
      futures: z.record(z.string(), decimalText('nonNegative')).prefault({ USDT: '100000' }),
    })
    .prefault({}),
  /** Market time step: one GBM move and a burst of trades per symbol every `tickMs`. */
  tickMs: z.number().int().min(1).max(3_600_000).default(1000),
  maxTradesPerTick: z.number().int().min(1).max(50).default(3),
  /**
   * The most wall time one live-timer call replays; a longer gap (a suspended host, a blocked
   * event loop) is skipped without replay, so waking up never means playing hours at once.
   */
  liveCatchUpMs: z.number().int().min(1).max(3_600_000).default(60_000),
  bookLevels: z.number().int().min(1).max(1000).default(20),
  spreadBps: z.number().finite().min(0).max(1000).default(1),
  levelStepBps: z.number().finite().min(0).max(1000).default(1),
  depthGrowth: z.number().finite().min(0).max(10).default(0.15),
  /** Random spread of level sizes: 1 gives U(0.5, 1.5) × the shaped size, 0 gives the shaped size exactly. */
  depthJitter: z.number().finite().min(0).max(1).default(1),
  /** Granularity of the rolling 24 h ticker window. */
  tickerBucketMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  recentTradesLimit: z.number().int().min(1).max(10_000).default(500),
  /** Closed orders kept for getOrder and clientOrderId lookups; older ones live only in the caller's store. */
  closedOrderRetention: z.number().int().min(0).max(1_000_000).default(1000),
  defaultLeverage: z.number().int().min(1).max(125).default(20),
  maintenanceMarginRate: decimalText('nonNegative').default('0.004'),
  /** A stop whose trigger is already reached: Binance rejects it (-2021); `trigger` fires it at once instead. */
  immediateTrigger: z.enum(['reject', 'trigger']).default('reject'),
});
export type SimConfig = z.output<typeof SimConfigSchema>;
export type SimConfigInput = z.input<typeof SimConfigSchema>;
