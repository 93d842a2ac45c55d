import { Router } from 'express';
import type { Router as ExpressRouter } from 'express';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { RouteDefinition } from '@barfinex/contracts';
import { assertSafeInput, parseInput } from '@barfinex/service-kit';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<D extends RouteDefinition> {
  params: Out<NonNullable<NonNullable<D['request']>['params']>>;
  query: Out<NonNullable<NonNullable<D['request']>['query']>>;
  body: Out<NonNullable<NonNullable<D['request']>['body']>>;
  req: Request;
  res: Response;
}

/** A handler's reply: the body, optionally with a status other than the route's first one. */
export type Reply = unknown | { status: number; body: unknown; headers?: Record<string, string> };

const REPLY = Symbol('reply');
const RAW_JSON = Symbol('rawJson');

/** A body that is already JSON text (e.g. built by the database); sent without re-serialising. */
export function rawJson(text: string) {
  return { [RAW_JSON]: true, text };
}
export function reply(status: number, body: unknown, headers?: Record<string, string>) {
  return { [REPLY]: true, status, body, headers };
}

/**
 * A JSON reply written straight to the response. Express's `res.json` also computes an ETag of
 * every body (a hash per reply) for conditional GETs; a write's reply is never cached, so writes
 * skip it and Express's generic `send`. GET and HEAD keep `res.json` (ETag, 304, HEAD).
 */
function sendJson(req: Request, res: Response, status: number, body: unknown): void {
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text === undefined || req.method === 'GET' || req.method === 'HEAD') {
    res.status(status).json(body);
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Registers handlers from route definitions: inputs are parsed by the definition's schemas
 * (a bad one is a 400 through the error middleware) and every route lands in the OpenAPI list.
 * Input no route can store (NUL, unpaired surrogates, absurd nesting) is refused here for every
 * route at once, path params included when a route declares no schema for them.
 */
/**
 * Access control around every route: `authorize` runs before the input is parsed (a token without
 * the route's scope gets 403, not a 400 about a body it may not send), `admitted` after it (a
 * restriction to symbols reads the parsed input).
 */
export interface RouteGuard {
  authorize(def: RouteDefinition, req: Request, res: Response): void;
  admitted(def: RouteDefinition, input: { params: unknown; query: unknown; body: unknown }, res: Response): void;
}

export function createTypedRouter(guard?: RouteGuard) {
  const router = Router();
  const definitions: RouteDefinition[] = [];
  // Express tries a request against every route registered before its own, whatever the method.
  // One router per method walks only the routes a request can match (a POST /orders passed about
  // fifty GET routes first); the router with every route still answers other methods (OPTIONS).
  const all = Router();
  const byMethod = new Map<string, ExpressRouter>();
  router.use((req, res, next) => {
    const sub = byMethod.get(req.method === 'HEAD' ? 'GET' : req.method);
    (sub ?? all)(req, res, next);
  });
  return {
    router,
    definitions,
    add<D extends RouteDefinition>(def: D, handler: (input: HandlerInput<D>) => Promise<Reply> | Reply) {
      definitions.push(def);
      const success = Number(
        Object.keys(def.responses)
          .map(Number)
          .filter((s) => s < 300)
          .sort()[0] ?? 200,
      );
      let sub = byMethod.get(def.method.toUpperCase());
      if (!sub) byMethod.set(def.method.toUpperCase(), (sub = Router()));
      const handle = async (req: Request, res: Response) => {
        guard?.authorize(def, req, res);
        if (!def.request?.params) assertSafeInput(req.params, 'params');
        const input = {
          params: def.request?.params ? parseInput(def.request.params, req.params, 'params') : undefined,
          query: def.request?.query ? parseInput(def.request.query, req.query, 'query') : undefined,
          body: def.request?.body ? parseInput(def.request.body, req.body, 'body') : undefined,
          req,
          res,
        } as HandlerInput<D>;
        guard?.admitted(def, input, res);
        const result = await handler(input);
        if (res.headersSent) return;
        if (typeof result === 'object' && result !== null && RAW_JSON in result) {
          res
            .status(success)
            .type('application/json')
            .send((result as unknown as { text: string }).text);
          return;
        }
        if (typeof result === 'object' && result !== null && REPLY in result) {
          const r = result as unknown as { status: number; body: unknown; headers?: Record<string, string> };
          if (r.headers) res.set(r.headers);
          sendJson(req, res, r.status, r.body);
          return;
        }
        sendJson(req, res, success, result);
      };
      sub[def.method](def.path, handle);
      all[def.method](def.path, handle);
    },
  };
}

export type TypedRouter = ReturnType<typeof createTypedRouter>;
