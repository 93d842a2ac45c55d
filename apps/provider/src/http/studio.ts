import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Router } from 'express';

/** Where `vite build` of apps/studio puts the app, seen from the sources (tsx) and from a bundled dist/main.js. */
export function findStudioDir(configured: string | undefined): string | undefined {
  const candidates = configured
    ? [path.resolve(configured)]
    : [
        path.resolve(__dirname, '../../../studio/dist'),
        path.resolve(__dirname, '../../studio/dist'),
        path.resolve(process.cwd(), 'apps/studio/dist'),
      ];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Barfinex Studio</title>
<body style="font:14px system-ui;background:#0d1117;color:#c9d1d9;padding:2em">
<h1>Studio is not built</h1><p><code>npm start</code> builds it on start; alone, run <code>npx nx build studio</code>.
The API is at <a href="/api/options" style="color:#58a6ff">/api</a>, its documentation at <a href="/docs" style="color:#58a6ff">/docs</a>.</p>`;

/**
 * Studio on the provider's own origin: `/` and `/studio/*` answer the app's index.html (the
 * client routes inside it), hashed files under `/studio/assets` are cached for good and a missing
 * one is a 404, never the HTML. Anything that does not ask for HTML falls through to the JSON 404.
 */
export function createStudioRouter(options: { dir: string | undefined }): Router {
  const router = express.Router();
  const { dir } = options;
  const sendIndex = (res: express.Response) => {
    res.set('Cache-Control', 'no-cache');
    if (dir) res.sendFile(path.join(dir, 'index.html'));
    else res.status(503).type('html').send(NOT_BUILT);
  };
  if (dir) {
    router.use(
      '/studio/assets',
      express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false, index: false }),
    );
    router.use('/studio', express.static(dir, { index: false, redirect: false }));
  }
  router.get(['/', '/studio', '/studio/{*splat}'], (req, res, next) => {
    if (!req.accepts('html')) return next();
    sendIndex(res);
  });
  return router;
}
