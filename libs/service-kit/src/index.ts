export { ConfigError, parseConfig } from './config/parse-config';
export { runMain } from './config/run-main';
export type { ConfigIssue, Env } from './config/parse-config';
export {
  envBool,
  envDurationMs,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  envUrl,
  parseDurationMs,
} from './config/env';
export type { IntRange, UrlOptions } from './config/env';

export { REDACT_PATHS, createLogger, withCorrelationId } from './logger/logger';
export type { CreateLoggerOptions } from './logger/logger';
export { getRequestContext, requestContext } from './logger/request-context';
export type { RequestContext, RequestContextOptions } from './logger/request-context';

// The error vocabulary lives in the contracts (a browser can use it); re-exported for the apps.
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
} from '@barfinex/contracts';
export type { AppErrorOptions } from '@barfinex/contracts';
export {
  ErrorBodySchema,
  ValidationIssueSchema,
  errorBody,
  summariseIssues,
  toValidationIssues,
} from './errors/error-body';
export type { ErrorBody, ValidationIssue } from './errors/error-body';
export { errorMiddleware, notFoundHandler, toAppError, toPublicErrorBody } from './errors/error-middleware';
export type { ErrorMiddlewareOptions } from './errors/error-middleware';
export { toUnavailableError, unavailableReason } from './errors/unavailable';

export { parseInput } from './http/parse-input';
export type { InputLocation } from './http/parse-input';
export { MAX_INPUT_DEPTH, assertSafeInput, findUnsafeInput } from './http/input-guard';
export { jsonBody } from './http/json-body';
export type { JsonBodyOptions } from './http/json-body';

export { parseTokenValue, presentedToken, tokensMatch } from './auth/token';
export type { PresentedToken, TokenSources } from './auth/token';
export { TOKEN_FORMS } from './auth/token-forms';
export { AuthMessage, createTokenCheck, socketTokenAuth, tokenAuth } from './auth/token-auth';
export type { SocketAuthError, SocketHandshakeLike, TokenAuthOptions } from './auth/token-auth';

export { busCheck, databaseCheck, healthRouter, runHealthChecks } from './health';
export { logQuarantined, quarantineCheck } from './quarantine-check';
export type { QuarantineCounts, QuarantinedRecordInfo } from './quarantine-check';
export { logBusConnection } from './bus/bus-connection-log';
export type { BusConnectionLogOptions, WatchableBus, WatchedBusStatus } from './bus/bus-connection-log';
export { answerClientErrors, clientErrorResponse, closeServer, createHttpServer } from './server';
export type { CheckOutcome, CheckResult, HealthCheck, HealthRouterOptions } from './health';

export { createShutdown, withTimeout } from './shutdown';
export type { Shutdown, ShutdownHandler, ShutdownOptions, ShutdownResult, SignalSource } from './shutdown';

export { createHttpClient, mapAxiosError } from './http-client';
export type { HttpClient, HttpClientOptions } from './http-client';

export { createMetrics } from './metrics';
export type { MetricDefinition, Metrics, MetricsOptions } from './metrics';

export { createKeyedQueue } from './keyed-queue';

export { ADDRESS_REFUSED, connectHost, guardedLookup, refusedAddress } from './net/address-policy';
export type { LookupFunction } from './net/address-policy';
export { SIGNATURE_HEADER, signBody, verifySignature } from './net/webhook-signature';
export type { SignatureVerdict } from './net/webhook-signature';
export { createMcpServer, httpRestCall } from './mcp/mcp-server';
export type { McpServerDeps, RestCall } from './mcp/mcp-server';
export { toolPath, toolsFromOpenApi } from './mcp/mcp-tools';
export type { McpTool } from './mcp/mcp-tools';
