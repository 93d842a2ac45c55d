// Studio in Debian's Chromium against the whole platform as `npm start` runs it (sim ticking every
// 100 ms), side by side in one run:
//   1. first load of the Market page on localhost until the chart has painted candles (p50 of RUNS
//      fresh browser contexts: no cache, token already in the tab's session storage);
//   2. the JavaScript a first visit loads, gzip: the sign-in shell (entry + preloads), and what the
//      Market page adds (its chunk is loaded on demand); target ≤ 300 kB for the first page;
//   3. a trade's latency from bus publish (the envelope's timestamp) to being drawn in the page (the
//      frame after the chart's update) vs to arriving at a bare socket.io client, same events,
//      same clock, same window; target ≤ 2×. Measured beside them, the physical floor of drawing
//      an event in a browser: a bare page in the same browser that receives the same events over
//      socket.io and paints a pixel in the next animation frame (no framework, no chart). A page
//      cannot show an update before its next frame, so drawn : floor is what Studio itself costs.
//   npx tsx --conditions=development tools/bench/studio.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { findRepoRoot, killLaunchedStacks, launchStack } from '@barfinex/testing';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 9);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 20_000);
const TOKEN = 'bench-studio-token-0123456789abcdef';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN) : NaN;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/**
 * The floor of drawing an event in a browser: a bare page (same origin as the provider, so the
 * socket's handshake is the one Studio makes) that takes the same candle events over socket.io and
 * paints one pixel in the next animation frame, recording publish → that frame.
 */
async function openFloorPage(
  browser: Browser,
  base: string,
): Promise<{ samples(): Promise<number[]>; reset(): Promise<void>; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 400, height: 300 } });
  const page = await context.newPage();
  await page.goto(`${base}/health`);
  // The browser build of the same socket.io client Studio bundles (the package does not export its path).
  await page.addScriptTag({
    path: join(findRepoRoot(__dirname), 'node_modules/socket.io-client/dist/socket.io.min.js'),
  });
  await page.evaluate(
    ({ token }) =>
      new Promise<void>((resolve) => {
        type Env = { timestamp: number; marketType?: string; payload: { interval: string } };
        const w = window as unknown as {
          io: (
            url: string,
            o: unknown,
          ) => { on(e: string, f: (x: Env) => void): void; emit(e: string, b: unknown, ack: () => void): void };
          __floor: number[];
        };
        w.__floor = [];
        const canvas = document.createElement('canvas');
        canvas.width = 10;
        canvas.height = 10;
        document.body.appendChild(canvas);
        const ctx = canvas.getContext('2d');
        const socket = w.io(location.origin, { path: '/ws', transports: ['websocket'], auth: { token } });
        socket.on('connect', () => {
          socket.emit('subscribe', { events: ['PROVIDER_MARKETDATA_CANDLE'], symbols: ['BTCUSDT'] }, () => resolve());
        });
        socket.on('PROVIDER_MARKETDATA_CANDLE', (env) => {
          if (env.marketType !== 'spot' || env.payload.interval !== 'min1') return;
          requestAnimationFrame(() => {
            ctx?.fillRect(0, 0, 1 + (env.timestamp % 9), 1);
            w.__floor.push(Date.now() - env.timestamp);
          });
        });
      }),
    { token: TOKEN },
  );
  return {
    samples: () => page.evaluate(() => [...(window as unknown as { __floor: number[] }).__floor]),
    reset: () => page.evaluate(() => void ((window as unknown as { __floor: number[] }).__floor.length = 0)),
    close: () => context.close(),
  };
}

async function main(): Promise<void> {
  const root = findRepoRoot(__dirname);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-studio-'));
  const stack = await launchStack(['npm', 'start'], { BARFINEX_DATA_DIR: dataDir, PROVIDER_API_TOKEN: TOKEN });
  const api = (path: string, body?: unknown) =>
    fetch(`${stack.base}/api${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const now = Date.now();
  await api('/candles/sim/spot/BTCUSDT/min1/backfill', { from: now - 6 * 3_600_000, to: now });
  for (
    let i = 0;
    i < 120 && ((await (await api('/candles/sim/spot/BTCUSDT/min1?days=1')).json()) as unknown[]).length < 300;
    i += 1
  )
    await new Promise((r) => setTimeout(r, 250));

  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
  try {
    // 1 + 2: first loads, and the scripts a first visit fetches.
    const loads: number[] = [];
    const marketScripts = new Set<string>();
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript((token) => sessionStorage.setItem('barfinex.studio.token', token), TOKEN);
      const page = await context.newPage();
      page.on('response', (res) => {
        const url = new URL(res.url());
        if (url.pathname.startsWith('/studio/assets/') && url.pathname.endsWith('.js')) marketScripts.add(url.pathname);
      });
      const started = Date.now();
      await page.goto(`${stack.base}/studio/market`);
      await page.waitForFunction(
        () => {
          const root = document.querySelector('[data-testid="price-chart"]');
          if (!root) return false;
          let ink = 0;
          for (const c of Array.from(root.querySelectorAll('canvas'))) {
            const ctx = c.width && c.height ? c.getContext('2d') : null;
            if (!ctx) continue;
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 64) if (Math.abs((d[i] ?? 0) - (d[0] ?? 0)) > 40) ink += 1;
          }
          return ink > 200;
        },
        undefined,
        { polling: 'raf', timeout: 60_000 },
      );
      loads.push(Date.now() - started);
      await context.close();
    }

    const dist = join(root, 'apps/studio/dist');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const shell = [...html.matchAll(/(?:src|href)="\/studio\/(assets\/[^"]+\.js)"/g)].map((m) => `/studio/${m[1]}`);
    const gz = (paths: Iterable<string>) =>
      [...paths].reduce((sum, p) => sum + gzipSync(readFileSync(join(dist, p.replace('/studio/', '')))).length, 0);
    const shellBytes = gz(shell);
    const marketBytes = gz(marketScripts);

    // 3: the same candle events, to the page (drawn) and to a bare socket.io client.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript((token) => {
      sessionStorage.setItem('barfinex.studio.token', token);
      const w = window as unknown as { __lat: number[]; __studioPainted: (ts: number) => void };
      w.__lat = [];
      w.__studioPainted = (ts) => w.__lat.push(Date.now() - ts);
    }, TOKEN);
    const page = await context.newPage();
    await page.goto(`${stack.base}/studio/market`);
    await page.locator('html[data-ws="connected"]').waitFor();
    const bare: number[] = [];
    const socket = io(stack.base, { path: '/ws', transports: ['websocket'], auth: { token: TOKEN } });
    await new Promise<void>((resolve) =>
      socket.on('connect', () =>
        socket.emit('subscribe', { events: ['PROVIDER_MARKETDATA_CANDLE'], symbols: ['BTCUSDT'] }, () => resolve()),
      ),
    );
    socket.on(
      'PROVIDER_MARKETDATA_CANDLE',
      (env: { timestamp: number; marketType?: string; payload: { interval: string } }) => {
        if (env.marketType === 'spot' && env.payload.interval === 'min1') bare.push(Date.now() - env.timestamp);
      },
    );
    const floorPage = await openFloorPage(browser, stack.base);
    await page.evaluate(() => ((window as unknown as { __lat: number[] }).__lat.length = 0));
    await floorPage.reset();
    bare.length = 0;
    await new Promise((r) => setTimeout(r, LATENCY_MS));
    const drawn = await page.evaluate(() => [...(window as unknown as { __lat: number[] }).__lat]);
    const floor = await floorPage.samples();
    socket.close();
    await floorPage.close();
    await context.close();

    const rows = [
      [
        'first load until the chart painted',
        `p50 ${pct(loads, 50)} ms, p90 ${pct(loads, 90)} ms over ${loads.length} fresh contexts`,
      ],
      ['JS of the first page (sign-in shell), gzip', `${kb(shellBytes)} (${shell.length} files)`],
      ['JS of a first visit to Market, gzip', `${kb(marketBytes)} (${marketScripts.size} files)`],
      ['trade → drawn in the page', `p50 ${pct(drawn, 50)} ms, p95 ${pct(drawn, 95)} ms (${drawn.length} bars)`],
      ['trade → bare socket.io client', `p50 ${pct(bare, 50)} ms, p95 ${pct(bare, 95)} ms (${bare.length} bars)`],
      [
        'trade → painted by a bare page (the floor)',
        `p50 ${pct(floor, 50)} ms, p95 ${pct(floor, 95)} ms (${floor.length} bars)`,
      ],
      [
        'ratio drawn : floor',
        `p50 ${(pct(drawn, 50) / Math.max(1, pct(floor, 50))).toFixed(2)}×, p95 ${(pct(drawn, 95) / Math.max(1, pct(floor, 95))).toFixed(2)}×`,
      ],
      [
        'ratio drawn : bare',
        `p50 ${(pct(drawn, 50) / Math.max(1, pct(bare, 50))).toFixed(2)}×, p95 ${(pct(drawn, 95) / Math.max(1, pct(bare, 95))).toFixed(2)}×`,
      ],
    ];
    for (const [k, v] of rows) process.stdout.write(`${(k ?? '').padEnd(44)} ${v}\n`);
  } finally {
    await browser.close();
    killLaunchedStacks();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  killLaunchedStacks();
  process.exit(1);
});
