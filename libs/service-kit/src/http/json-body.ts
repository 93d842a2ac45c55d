import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { MAX_INPUT_DEPTH, assertSafeInput } from './input-guard';

export interface JsonBodyOptions {
  /** Largest accepted body, bytes or a size string such as '1mb'. */
  limit?: number | string;
  /** Deepest nesting accepted; deeper bodies are a 400. */
  maxDepth?: number;
}

/**
 * JSON body parser with one rule for "no body": `req.body` is `undefined`, whether the request had
 * no body at all or an empty one (body-parser turns an empty chunked body into `{}`). Bodies sent
 * without any Content-Type are parsed as JSON too, since curl-style clients often omit it.
 * Malformed JSON and oversized bodies reach the error middleware as INVALID_JSON / PAYLOAD_TOO_LARGE;
 * well-formed JSON that no route could store (NUL, unpaired surrogates, numbers beyond a double,
 * nesting past `maxDepth`) as VALIDATION_ERROR, before any route sees it.
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler {
  const empty = new WeakSet<IncomingMessage>();
  const maxDepth = options.maxDepth ?? MAX_INPUT_DEPTH;
  const parse = express.json({
    limit: options.limit ?? '1mb',
    type: (req) => {
      const type = req.headers['content-type'];
      return !type || /^application\/([\w.+-]+\+)?json\b/i.test(type);
    },
    verify: (req, _res, buf) => {
      if (buf.length === 0) empty.add(req);
    },
  });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err !== undefined) {
        next(err);
        return;
      }
      if (empty.has(req)) req.body = undefined;
      try {
        assertSafeInput(req.body, 'body', maxDepth);
      } catch (unsafe) {
        next(unsafe);
        return;
      }
      next();
    });
  };
}
