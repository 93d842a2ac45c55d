export { toBar, toTradeTick } from './bar';
export type { Bar, CandleLike, TradeLike, TradeTick } from './bar';
export { formatCandlesCsv, parseCandlesCsv } from './csv';
export { scoreRules } from './context';
export type { RuleVerdict } from './context';
export { defineDetector } from './detector';
export type {
  ActiveSignal,
  AnyDetector,
  AnyIndicator,
  Detector,
  DetectorContext,
  DetectorInputs,
  DetectorOutput,
  DetectorSpec,
  EvaluateResult,
  Expiry,
  IndicatorSet,
  IndicatorValues,
  InvalidationRule,
  Levels,
  NumericIndicator,
  OrderBookView,
  ParamsSchema,
  PositionAction,
  PositionState,
  PriceInput,
  Rule,
  SignalDraft,
} from './detector';
export { DETECTOR_EVENT_NAMES, priceString } from './emission';
export type { DetectorEmission, DetectorEventName, PositionRequestPayload, SignalPayload } from './emission';
export { DetectorDefinitionError, DetectorParamsError } from './errors';
export type { ParamIssue } from './errors';
export { createNormal, createRng, generateGbmCandles } from './gbm';
export type { GbmOptions } from './gbm';
export { runDetector } from './harness';
export type { DetectorRunResult, RunDetectorOptions } from './harness';
export { rollingHigh, rollingLow } from './indicators/extremes';
export { ema, sma } from './indicators/moving-average';
export type { SourceOptions } from './indicators/moving-average';
export { macd, rsi } from './indicators/oscillators';
export type { MacdOptions, MacdValue } from './indicators/oscillators';
export type { CandleIndicator, Indicator, PriceSource, TradeIndicator } from './indicators/types';
export { atr, bollinger } from './indicators/volatility';
export type { BollingerOptions, BollingerValue } from './indicators/volatility';
export { tradeVolumeDelta, volumeDelta, vwap } from './indicators/volume';
export type { VolumeDeltaValue, VwapOptions } from './indicators/volume';
export { detectorParamsJsonSchema, parseDetectorParams } from './params';
export { createDetectorRunner } from './runner';
export type {
  CandleFeed,
  CandleOutcome,
  DetectorRunner,
  FeedSource,
  RunnerOptions,
  StreamSnapshot,
} from './runner-types';
export { createBarSeries } from './series';
export type { BarSeries } from './series';
