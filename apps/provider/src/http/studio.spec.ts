import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createStudioRouter, findStudioDir } from './studio';

describe('Studio on the provider origin', () => {
  let dir: string;
  let app: express.Express;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'studio-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'export {};');
    app = express();
    app.use(createStudioRouter({ dir: findStudioDir(dir) }));
    app.use((_req, res) => void res.status(404).json({ error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['/', '/studio', '/studio/', '/studio/market', '/studio/events/deep/link'])(
    'answers %s with the app, never cached',
    async (url) => {
      const res = await request(app).get(url).set('accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('id="root"');
    },
  );

  it('serves hashed assets for good and a missing one as 404, not the HTML', async () => {
    const ok = await request(app).get('/studio/assets/index-abc.js');
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toContain('immutable');
    const missing = await request(app).get('/studio/assets/gone.js').set('accept', 'text/html');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('id="root"');
  });

  it('leaves requests that do not want HTML to the JSON 404', async () => {
    const res = await request(app).get('/studio/market').set('accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('says how to build it when there is no build', async () => {
    const bare = express().use(createStudioRouter({ dir: findStudioDir(path.join(dir, 'nope')) }));
    const res = await request(bare).get('/').set('accept', 'text/html');
    expect(res.status).toBe(503);
    expect(res.text).toContain('nx build studio');
  });
});
