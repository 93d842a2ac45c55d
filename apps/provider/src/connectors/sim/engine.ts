import type { SimClock } from './clock';
import { SIM_MARKET_TYPES } from './config';
import type { SimConfig, SimSymbolConfig } from './config';
import { Dec, ONE, maxDec, powerOfTenPlaces, roundToStep } from './decimal';
import { SimErrorCode, reject } from './errors';
import { PriceLevels } from './price-levels';
import { createRng, hashString, seedRngState } from './prng';
import { emptyChanges, marketKey } from './state';
import type { Engine, InstrumentSpec, MarketState, SymbolState } from './state';
import { emptyTicker } from './ticker';
import type { SimInstrument, SimSink } from './types';

function resolveSpec(config: SimSymbolConfig): InstrumentSpec {
  const tickSize = new Dec(config.tickSize);
  const spec: InstrumentSpec = {
    symbol: config.symbol,
    baseAsset: config.baseAsset,
    quoteAsset: config.quoteAsset,
    tickSize,
    stepSize: new Dec(config.stepSize),
    minQty: new Dec(config.minQty),
    maxQty: new Dec(config.maxQty),
    minNotional: new Dec(config.minNotional),
    minPrice: new Dec(config.minPrice),
    maxPrice: new Dec(config.maxPrice),
    bookDepth: new Dec(config.bookDepth),
    tradeSize: new Dec(config.tradeSize),
    drift: config.drift,
    volatility: config.volatility,
    initialPrice: maxDec(roundToStep(new Dec(config.price), tickSize), tickSize),
    markets: SIM_MARKET_TYPES.filter((m) => config.markets.includes(m)),
    seedHash: hashString(config.symbol),
    tickPlaces: powerOfTenPlaces(tickSize),
    stepPlaces: null,
    tickNumber: tickSize.toNumber(),
  };
  spec.stepPlaces = powerOfTenPlaces(spec.stepSize);
  if (spec.minQty.gt(spec.maxQty) || spec.minPrice.gt(spec.maxPrice)) {
    reject(SimErrorCode.INVALID_ARGUMENT, `${config.symbol}: min filters exceed max filters`);
  }
  // Prices are kept as integer ticks in numbers (books, tickers, snapshots): every allowed price must be exact.
  if (spec.maxPrice.div(tickSize).gt(Number.MAX_SAFE_INTEGER)) {
    reject(
      SimErrorCode.INVALID_ARGUMENT,
      `${config.symbol}: maxPrice / tickSize exceeds ${Number.MAX_SAFE_INTEGER} ticks`,
    );
  }
  return spec;
}

function newMarket(engine: Engine, sym: SymbolState, marketType: MarketState['marketType']): MarketState {
  const fees = engine.cfg.fees[marketType];
  const spec = sym.spec;
  return {
    key: marketKey(marketType, spec.symbol),
    marketType,
    marketIndex: SIM_MARKET_TYPES.indexOf(marketType),
    sym,
    spec,
    makerRate: new Dec(fees.maker),
    takerRate: new Dec(fees.taker),
    takerFactor: ONE.plus(fees.taker),
    lockFactor: ONE.plus(maxDec(new Dec(fees.maker), new Dec(fees.taker))),
    lastPrice: spec.initialPrice,
    lastTicks: spec.initialPrice.div(spec.tickSize).toNumber(),
    tradeSeq: 0,
    bids: new PriceLevels(true),
    asks: new PriceLevels(false),
    stopsUp: new PriceLevels(false),
    stopsDown: new PriceLevels(true),
    trailing: new Set(),
    positions: new Set(),
    ticker: emptyTicker(),
    recentTrades: [],
    book: null,
  };
}

/** Builds a fresh engine: one price process per symbol, one market per (symbol, market type). */
export function buildEngine(cfg: SimConfig, clock: SimClock, sink: SimSink): Engine {
  const engine: Engine = {
    cfg,
    clock,
    sink,
    symbols: [],
    bySymbol: new Map(),
    markets: new Map(),
    accounts: new Map(),
    orders: new Map(),
    closed: [],
    closedHead: 0,
    seq: { order: 0, fill: 0, client: 0, resting: 0, position: 0 },
    startedAt: null,
    maintenanceMarginRate: new Dec(cfg.maintenanceMarginRate),
    collect: null,
    changes: emptyChanges(),
    deferredMarketData: null,
  };
  if (engine.maintenanceMarginRate.gte(ONE))
    reject(SimErrorCode.INVALID_ARGUMENT, 'maintenanceMarginRate must be below 1');
  for (const config of cfg.symbols) {
    if (engine.bySymbol.has(config.symbol))
      reject(SimErrorCode.INVALID_ARGUMENT, `symbol ${config.symbol} is configured twice`);
    const spec = resolveSpec(config);
    const sym: SymbolState = {
      spec,
      rng: createRng(seedRngState(cfg.seed, spec.symbol)),
      mid: spec.initialPrice.toNumber(),
      centre: spec.initialPrice,
      bookSeq: 0,
      nextTickAt: clock.now() + cfg.tickMs,
      path: [],
      markets: [],
      startPrice: null,
    };
    for (const marketType of spec.markets) {
      const ms = newMarket(engine, sym, marketType);
      sym.markets.push(ms);
      engine.markets.set(ms.key, ms);
    }
    engine.symbols.push(sym);
    engine.bySymbol.set(spec.symbol, sym);
  }
  return engine;
}

export function instrumentView(ms: MarketState): SimInstrument {
  const s = ms.spec;
  return {
    connectorType: 'sim',
    marketType: ms.marketType,
    symbol: s.symbol,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    status: 'TRADING',
    tickSize: s.tickSize.toFixed(),
    stepSize: s.stepSize.toFixed(),
    minQty: s.minQty.toFixed(),
    maxQty: s.maxQty.toFixed(),
    minNotional: s.minNotional.toFixed(),
    minPrice: s.minPrice.toFixed(),
    maxPrice: s.maxPrice.toFixed(),
  };
}
