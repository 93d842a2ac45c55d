export { AccountEventSchema, AccountSchema, AssetSchema, DailyProfitSchema, PositionSchema } from './account';
export type { Account, AccountEvent, Asset, Position } from './account';
export {
  ConnectorTypeSchema,
  Id,
  MarketTypeSchema,
  OrderSideSchema,
  SymbolName,
  TimeFrameSchema,
  TimestampInput,
  TradeSideSchema,
  UnixMs,
} from './common';
export { EntryDeclinedSchema, InspectorOrderFailureSchema, InspectorOrderRoleSchema } from './entry-outcome';
export type { EntryDeclined, InspectorOrderFailure, InspectorOrderRole } from './entry-outcome';
export { DecimalString, NonNegativeDecimalString, PositiveDecimalString, compareDecimalStrings, normalizeDecimal } from './decimal';
export { MONEY_PRECISION, Money } from './money';
export type { MoneyValue } from './money';
export {
  ConfidenceLowSchema,
  DecisionContextSnapshotSchema,
  DecisionRequestSchema,
  DecisionSchema,
  DecisionStageSchema,
  ExecutionIntentSchema,
  HallucinationDetectedSchema,
  ModelSwitchedSchema,
} from './decision';
export type {
  ConfidenceLow,
  Decision,
  DecisionContextSnapshot,
  DecisionRequest,
  DecisionStage,
  ExecutionIntent,
  HallucinationDetected,
  ModelSwitched,
} from './decision';
export {
  AppError,
  ERROR_CODE_STATUS,
  ERROR_CODE_VALUES,
  ErrorCode,
  badGateway,
  badRequest,
  conflict,
  errorCodeForStatus,
  forbidden,
  gatewayTimeout,
  internal,
  isAppError,
  isErrorCode,
  methodNotAllowed,
  notFound,
  orderRejected,
  payloadTooLarge,
  rateLimited,
  unauthorized,
  unavailable,
  unprocessable,
  validationError,
} from './errors';
export type { AppErrorOptions } from './errors';
export {
  ErrorBodySchema,
  MAX_PAGE_LIMIT,
  PageLinksSchema,
  PaginationQuerySchema,
  buildPage,
  createPaginationQuery,
  paginated,
} from './http';
export type { ErrorBody, Page, PageLinks, PaginationQuery } from './http';
export {
  CANDLE_VALUE_FIELDS,
  CandleSchema,
  ConsistentCandleSchema,
  InstrumentSchema,
  OrderBookLevelSchema,
  OrderBookSchema,
  SymbolPriceSchema,
  TradeSchema,
} from './market-data';
export type { Candle, CandleValueField, CandleValues, Instrument, OrderBook, OrderBookLevel, SeriesCandle, SymbolPrice, Trade } from './market-data';
export {
  FillSchema,
  OrderCloseRequestSchema,
  OrderCreateFieldsSchema,
  OrderCreateRequestSchema,
  OrderSchema,
  OrderSourceSchema,
  OrderSourceTypeSchema,
  OrderStatusSchema,
  OrderTypeSchema,
  TimeInForceSchema,
} from './order';
export {
  buildOpenApiDocument,
  defineRoute,
  toOpenApiPath,
  withOpenApiSchema,
} from './openapi';
export { findOpenApiProblems } from './openapi-check';
export { API_SCOPE_VALUES, ApiScope, ApiScopeSchema, SCOPE_DESCRIPTIONS, effectiveScopes, scopeGranted } from './scopes';
export {
  AUDIT_OUTCOME_VALUES,
  AuditQuerySchema,
  AuditRecordSchema,
  TokenCreateSchema,
  TokenCreatedSchema,
  TokenRestrictionSchema,
  TokenRestrictionViewSchema,
  TokenRevokedSchema,
  TokenViewSchema,
  WhoAmISchema,
  authRoutes,
} from './routes/auth-routes';
export type { AuditQuery, AuditRecord, TokenCreate, TokenRestriction, TokenRevoked, TokenView, WhoAmI } from './routes/auth-routes';
export type { HttpMethod, OpenApiDocument, OpenApiDocumentOptions, ResponsesSpec, RouteDefinition, RouteSpec } from './openapi';
export type { Fill, Order, OrderCloseRequest, OrderCreate, OrderCreateInput, OrderSource } from './order';
export {
  AppHeartbeatSchema,
  AppRegisteredSchema,
  AppTypeSchema,
  AppUnregisteredSchema,
  BackfillProgressSchema,
  BacktestProgressSchema,
  ReconciliationSchema,
  ReplayProgressSchema,
  SymbolsUpdateSchema,
} from './platform';
export type {
  AppHeartbeat,
  AppRegistered,
  AppUnregistered,
  BackfillProgress,
  BacktestProgress,
  Reconciliation,
  ReplayProgress,
  SymbolsUpdate,
} from './platform';
export {
  DataGapSchema,
  DataMaturityUpdateSchema,
  DataOutlierSchema,
  KillSwitchSchema,
  MarginUpdateSchema,
  MarketConditionSchema,
  NoTradeWindowSchema,
  RegimeSchema,
  RiskActionSchema,
  RiskBreachSchema,
  RiskPoliciesInputSchema,
  RiskPoliciesSchema,
  TradeOutcomeSchema,
} from './risk';
export type {
  DataGap,
  DataMaturityUpdate,
  DataOutlier,
  KillSwitch,
  MarginUpdate,
  MarketCondition,
  NoTradeWindow,
  Regime,
  RiskAction,
  RiskBreach,
  RiskPolicies,
  RiskPoliciesInput,
  TradeOutcome,
} from './risk';
export {
  Confidence,
  PositionRequestSchema,
  PriceLevelSchema,
  SignalInvalidationSchema,
  SignalSchema,
  SignalUpdateSchema,
} from './signal';
export type { PositionRequest, PriceLevel, Signal, SignalInvalidation, SignalUpdate } from './signal';
export {
  CreateInboundHookSchema,
  HookAlertReceiptSchema,
  HookAlertSchema,
  HookAlertStatusSchema,
  HookIdSchema,
  HookModeSchema,
  HookNameSchema,
  HookSymbolTargetSchema,
  InboundHookCreatedSchema,
  InboundHookSchema,
  UpdateInboundHookSchema,
  hookRoutes,
} from './routes/hooks-routes';
export type { HookAlert, InboundHook } from './routes/hooks-routes';
export { PutTelegramChatSchema, TelegramChatSchema, WebhookDeliverySchema, WebhookSubscriptionSchema, notifierRoutes } from './routes/notifier-routes';
export { ConnectorMarketParams, MarketTypeParam, OkSchema, SymbolParam, TimeFrameParam } from './routes/params';
export {
  CandlesQuerySchema,
  CatalogSchema,
  ConnectorInfoSchema,
  LeverageRequestSchema,
  OptionsSchema,
  OrderListQuerySchema,
  OrderReplaceSchema,
  SimPathSchema,
  SimPriceSchema,
  SimStatusSchema,
  SimStepSchema,
  SubscriptionSchema,
  SubscriptionUpdateSchema,
  providerRoutes,
} from './routes/provider-routes';
export {
  DashboardAlertSchema,
  DashboardOverviewSchema,
  DashboardQuerySchema,
  EventSinkQuerySchema,
  GapQuerySchema,
  GapReportSchema,
  MissingRangeSchema,
  RepairRequestSchema,
  RepairResultSchema,
  ReplaySpeedSchema,
  ReplayStartSchema,
  ReplayStatusSchema,
  SeriesParams,
  SignalsContextQuerySchema,
  SignalsContextSchema,
  SinkEventSchema,
  platformRoutes,
} from './routes/platform-routes';
export type {
  DashboardOverview,
  EventSinkQuery,
  GapReport,
  RepairResult,
  ReplayStart,
  ReplayStatus,
  SignalsContext,
  SignalsContextQuery,
  SinkEventView,
} from './routes/platform-routes';
export {
  BackfillRequestSchema,
  BackfillSeriesParams,
  BackfillStatusSchema,
  BacktestDetailSchema,
  BacktestFeesSchema,
  BacktestListQuerySchema,
  BacktestMetricsSchema,
  BacktestRequestSchema,
  BacktestSourceSchema,
  BacktestStateSchema,
  BacktestSummarySchema,
  BacktestTradeSchema,
  PositionSizingSchema,
  backtestRoutes,
} from './routes/backtest-routes';
export type {
  BackfillRequest,
  BackfillStatus,
  BacktestDetail,
  BacktestMetrics,
  BacktestRequest,
  BacktestSource,
  BacktestSummary,
  BacktestTrade,
} from './routes/backtest-routes';
export {
  AppHeartbeatRequestSchema,
  AppKeySchema,
  AppRegisterRequestSchema,
  AppRegistrationSchema,
  AppRegistryListQuerySchema,
  AppUnregisterRequestSchema,
  BaseUrlSchema,
  DetectorConfigSchema,
  DetectorCreateBodySchema,
  DetectorItemSchema,
  DetectorPatchBodySchema,
  DetectorStatusSchema,
  DetectorSymbolSchema,
  InspectorConfigSchema,
  InspectorCreateBodySchema,
  InspectorItemSchema,
  InspectorPatchBodySchema,
  ProxyTargetSchema,
  ProxyTargetsSchema,
  configRoutes,
  proxyRouteDocs,
  proxyScope,
  registryRoutes,
} from './routes/registry-routes';
export type {
  AppHeartbeatRequest,
  AppRegisterRequest,
  AppRegistration,
  AppUnregisterRequest,
  DetectorConfig,
  DetectorItem,
  InspectorConfig,
  InspectorItem,
  ProxyTarget,
  ProxyTargets,
} from './routes/registry-routes';
export {
  ApplyTrialRequestSchema,
  BatchBacktestRequestSchema,
  BatchBacktestResultSchema,
  DetectorInfoSchema,
  OptimizationDetailSchema,
  OptimizationObjectiveSchema,
  OptimizationProgressSchema,
  OptimizationRequestSchema,
  OptimizationResultSchema,
  OptimizationSummarySchema,
  OptimizationTrialSchema,
  ParamRangeSchema,
  TrialScoreSchema,
  optimizationRoutes,
} from './routes/optimization-routes';
export type {
  BatchBacktestRequest,
  BatchBacktestResult,
  DetectorInfo,
  OptimizationDetail,
  OptimizationObjective,
  OptimizationProgress,
  OptimizationRequest,
  OptimizationResult,
  OptimizationSummary,
  OptimizationTrial,
  ParamRange,
  TrialScore,
} from './routes/optimization-routes';
