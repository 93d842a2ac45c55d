import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { withCorrelationId } from './logger';

export interface RequestContext {
  correlationId: string;
  logger: Logger;
}

export interface RequestContextOptions {
  logger: Logger;
  /** Header read for an incoming id and echoed on the response. */
  header?: string;
  generateId?: () => string;
  /** Log one line per finished request (default true). */
  logRequests?: boolean;
  /** Requests not to log, e.g. health probes. */
  skip?: (req: Request) => boolean;
}

const contexts = new WeakMap<Response, RequestContext>();
// Ids end up in logs and headers: accept only short, plain tokens from outside.
const SAFE_ID = /^[\w.:-]{1,128}$/;

export function getRequestContext(res: Response): RequestContext | undefined {
  return contexts.get(res);
}

/**
 * Gives each request a correlation id (the caller's, when it sends a sane one) and a child logger
 * carrying it; read both with `getRequestContext(res)`.
 */
export function requestContext(options: RequestContextOptions): RequestHandler {
  const header = (options.header ?? 'x-correlation-id').toLowerCase();
  const generateId = options.generateId ?? randomUUID;
  const logRequests = options.logRequests ?? true;
  const root = options.logger;
  return (req, res, next) => {
    const incoming = req.headers[header];
    const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
    const correlationId = candidate !== undefined && SAFE_ID.test(candidate) ? candidate : generateId();
    // The child logger is built on first use: most requests never log (pino builds a child's
    // bindings eagerly), so it was an allocation per request for nothing.
    let logger: Logger | undefined;
    const context: RequestContext = {
      correlationId,
      get logger() {
        logger ??= withCorrelationId(root, correlationId);
        return logger;
      },
    };
    contexts.set(res, context);
    res.setHeader(header, correlationId);
    // Read per request: the level can change at run time.
    if (logRequests && root.isLevelEnabled('info') && !options.skip?.(req)) {
      const started = performance.now();
      res.once('finish', () => {
        context.logger.info(
          {
            method: req.method,
            path: req.originalUrl.split('?')[0],
            status: res.statusCode,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
          },
          'request completed',
        );
      });
    }
    next();
  };
}
