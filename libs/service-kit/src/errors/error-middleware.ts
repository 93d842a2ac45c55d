import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isAxiosError } from 'axios';
import { z } from 'zod';
import { mapAxiosError } from '../http-client';
import { AppError, errorCodeForStatus, isAppError } from '@barfinex/contracts';
import { type ErrorBody, errorBody, summariseIssues, toValidationIssues } from './error-body';
import { getRequestContext } from '../logger/request-context';
import { toUnavailableError } from './unavailable';

export interface ErrorMiddlewareOptions {
  logger: Logger;
}

// body-parser and other http-errors users tag their errors with `type`, `status` and `expose`.
interface HttpLikeError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  limit?: unknown;
  message?: unknown;
}

/** Turns anything thrown or passed to `next(err)` into an AppError; unknown errors become INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  // An upstream call the route did not map itself is still a 502/504, not our own 500.
  if (isAxiosError(err)) return mapAxiosError(err);
  if (err instanceof z.ZodError) {
    const issues = toValidationIssues(err);
    return new AppError('VALIDATION_ERROR', summariseIssues(issues), { details: { issues }, cause: err });
  }
  // Express raises URIError (status 400) for a path with a malformed %-escape: the caller's mistake.
  if (err instanceof URIError) {
    return new AppError('BAD_REQUEST', 'malformed percent-encoding in the request path', { cause: err });
  }
  // A database restarting (or another backing service away) is a 503 the client may retry, not our bug.
  const unavailable = toUnavailableError(err);
  if (unavailable) return unavailable;
  if (typeof err === 'object' && err !== null) {
    const e = err as HttpLikeError;
    if (e.type === 'entity.parse.failed') {
      return new AppError('INVALID_JSON', 'malformed JSON in request body', { cause: err });
    }
    if (e.type === 'entity.too.large') {
      const limit = typeof e.limit === 'number' ? e.limit : undefined;
      return new AppError('PAYLOAD_TOO_LARGE', 'request body is too large', {
        details: limit === undefined ? undefined : { limitBytes: limit },
        cause: err,
      });
    }
    const status = typeof e.status === 'number' ? e.status : e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && e.expose === true) {
      const message = typeof e.message === 'string' && e.message ? e.message : 'bad request';
      return new AppError(errorCodeForStatus(status), message, { status, cause: err });
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('INTERNAL', message, { cause: err });
}

/**
 * What a client may see of an error: the message and details only when the error is exposed.
 * Also for answers outside Express, such as Socket.IO acknowledgements.
 */
export function toPublicErrorBody(err: unknown): ErrorBody {
  const appError = toAppError(err);
  if (appError.expose) return errorBody(appError.code, appError.message, appError.details);
  return errorBody(appError.code, appError.status >= 500 ? 'internal server error' : 'request failed');
}

function requestLine(req: Request): { method: string; path: string } {
  return { method: req.method, path: req.originalUrl.split('?')[0] ?? req.originalUrl };
}

/**
 * The one Express error handler; mount it last. 5xx errors are logged with their stack and, unless
 * deliberately exposed, answered with a generic message so internals never reach the client.
 */
export function errorMiddleware({ logger }: ErrorMiddlewareOptions): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const appError = toAppError(err);
    const log = getRequestContext(res)?.logger ?? logger;
    const where = requestLine(req);
    if (appError.status >= 500) {
      // The serializer renders the cause chain (message and stack) of the AppError.
      log.error({ err: appError, code: appError.code, ...where }, appError.message);
    } else {
      log.info({ code: appError.code, status: appError.status, ...where }, appError.message);
    }
    res.status(appError.status).json(toPublicErrorBody(appError));
  };
}

/** Mount after every route: answers 404 ROUTE_NOT_FOUND naming the method and path. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  const { method, path } = requestLine(req);
  next(
    new AppError('ROUTE_NOT_FOUND', `no route for ${method} ${path}`, {
      details: { method, path },
    }),
  );
};
