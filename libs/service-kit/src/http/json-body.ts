import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';

export interface JsonBodyOptions {
  /** Largest accepted body, bytes or a size string such as '1mb'. */
  limit?: number | string;
}

/**
 * JSON body parser with one rule for "no body": `req.body` is `undefined`, whether the request had
 * no body at all or an empty one (body-parser turns an empty chunked body into `{}`). Bodies sent
 * without any Content-Type are parsed as JSON too, since curl-style clients often omit it.
 * Malformed JSON and oversized bodies reach the error middleware as INVALID_JSON / PAYLOAD_TOO_LARGE.
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler {
  const empty = new WeakSet<IncomingMessage>();
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
      next();
    });
  };
}
