// Studio in Debian's Chromium against the whole platform as `npm start` runs it (sim exchange,
// embedded database, in-memory bus), on free ports. Every scenario acts as a trader would.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, findRepoRoot, killLaunchedStacks, launchStack } from '@barfinex/testing';
import type { LaunchedStack } from '@barfinex/testing';
import { chartInk, openBrowser, screenshotPath } from './browser';
import type { Browser } from './browser';

const TOKEN = 'studio-e2e-token-0123456789abcdef';
const root = findRepoRoot(__dirname);
jest.setTimeout(240_000);

let stack: LaunchedStack;
let browser: Browser;
let dataDir: string;
let liveOrderId = '';

async function api(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${stack.base}/api${url}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function shot(name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const file = screenshotPath(name, root);
  mkdirSync(path.dirname(file), { recursive: true });
  await browser.page.screenshot({ path: file, ...options });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-'));
  stack = await launchStack(['npm', 'start'], { BARFINEX_DATA_DIR: dataDir, PROVIDER_API_TOKEN: TOKEN });
  // Six hours of seeded history on both markets, so the charts have a past to draw, not only the live bars.
  const now = Date.now();
  for (const market of ['spot', 'futures']) {
    const backfill = await api('POST', `/candles/sim/${market}/BTCUSDT/min1/backfill`, {
      from: now - 6 * 3_600_000,
      to: now,
    });
    expect([202, 409]).toContain(backfill.status);
  }
  await eventually(
    async () => {
      for (const market of ['spot', 'futures']) {
        const candles = await api('GET', `/candles/sim/${market}/BTCUSDT/min1?days=1`);
        expect((candles.json as unknown[]).length).toBeGreaterThan(100);
      }
    },
    60_000,
    250,
  );
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  killLaunchedStacks();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('Studio in a browser', () => {
  it('keeps a wrong token on the sign-in page with the reason', async () => {
    const { page } = browser;
    await page.goto(`${stack.base}/`);
    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'refused this token' }).waitFor();
    await shot('sign-in');
  });

  it('signs in and draws the candles, which then move live', async () => {
    const { page } = browser;
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('price-chart').waitFor();
    expect(page.url()).toContain('/studio/market');
    await eventually(async () => expect(await chartInk(page)).toBeGreaterThan(500), 30_000, 200);
    await page.locator('html[data-ws="connected"]').waitFor();
    const firstBar = await page.locator('html').getAttribute('data-last-bar');
    const before = await chartInk(page);
    // A live candle event reaches the chart (its update() call records the bar it drew).
    await eventually(
      async () => expect(await page.locator('html').getAttribute('data-last-bar')).not.toBeNull(),
      60_000,
      200,
    );
    expect(before).toBeGreaterThan(500);
    expect(
      firstBar === null || Number(await page.locator('html').getAttribute('data-last-bar')) >= Number(firstBar),
    ).toBe(true);
    await shot('market');
  });

  it('places a LIMIT order from the ticket, sees it in open orders from the live event, replaces and cancels it', async () => {
    const { page } = browser;
    const ticker = await api('GET', '/symbols/sim/spot/BTCUSDT/ticker');
    const last = Number((ticker.json as { c: string }).c);
    const price = (Math.floor(last * 0.8 * 100) / 100).toFixed(2);
    await page.getByLabel('Type', { exact: true }).selectOption('LIMIT');
    await page.locator('#ticket-quantity').fill('0.001');
    await page.locator('#ticket-price').fill(price);
    await page.getByLabel('Time in force').selectOption('GTC');
    await page.getByRole('button', { name: 'Buy' }).click();
    const row = page
      .getByTestId('open-orders')
      .locator('tbody tr')
      .filter({ hasText: 'LIMIT' })
      .filter({ hasText: Number(price).toLocaleString('en-US', { minimumFractionDigits: 2 }) });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('GTC');
    // Replace it at a new price: the old order goes, the new one takes its row.
    const newPrice = (Number(price) - 1).toFixed(2);
    await row
      .first()
      .getByRole('button', { name: /^Replace order/ })
      .click();
    await page.getByLabel(/^New price for/).fill(newPrice);
    await page.getByRole('button', { name: 'Send' }).click();
    const replaced = page
      .getByTestId('open-orders')
      .locator('tbody tr')
      .filter({ hasText: Number(newPrice).toLocaleString('en-US', { minimumFractionDigits: 2 }) });
    await replaced.first().waitFor();
    await row.first().waitFor({ state: 'detached' });
    await shot('market-order');
    await replaced
      .first()
      .getByRole('button', { name: /^Cancel order/ })
      .click();
    await replaced.first().waitFor({ state: 'detached' });
    // A fill of ours lands on the chart as a marker (drawn on the canvas; the page stays error-free).
    const market = await api('POST', '/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.001',
      connectorType: 'sim',
      marketType: 'spot',
      clientOrderId: `e2e-marker-${Date.now()}`,
    });
    expect(market.status).toBe(201);
    await page.getByTestId('recent-trades').locator('tr').first().waitFor();
    await shot('market-fill');
  });

  it("shows a rejected order's API message beside the field", async () => {
    const { page } = browser;
    await page.getByLabel('Type', { exact: true }).selectOption('LIMIT');
    await page.locator('#ticket-quantity').fill('0.001');
    await page.locator('#ticket-price').fill('');
    await page.getByRole('button', { name: 'Buy' }).click();
    const error = page.getByTestId('ticket-price-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('price is required for LIMIT orders');
  });

  it('places futures orders with a time in force and reduce-only: refused beside the box while it would grow the position, resting and filling once it reduces it', async () => {
    const { page } = browser;
    await page.getByLabel('Market type').selectOption('futures');
    await page.getByTestId('order-ticket').getByText('Reduce-only').waitFor();
    // Whatever the position is, `grow` opens or adds to it and `shrink` reduces it.
    const account = (await api('GET', '/accounts/sim/futures')).json as {
      positions: { symbol: string; side: string; quantity: string }[];
    };
    const short = account.positions.some((p) => p.symbol === 'BTCUSDT' && p.side === 'SHORT' && Number(p.quantity) > 0);
    const [grow, shrink] = short ? (['Sell', 'Buy'] as const) : (['Buy', 'Sell'] as const);
    const reduceOnly = page.getByLabel(/^Reduce-only/);
    const placed = page.getByTestId('ticket-placed');

    await page.getByLabel('Type', { exact: true }).selectOption('MARKET');
    expect(await page.getByLabel('Time in force').count()).toBe(0);
    await page.locator('#ticket-quantity').fill('0.001');
    await reduceOnly.check();
    await page.getByRole('button', { name: grow, exact: true }).click();
    const refused = page.getByTestId('ticket-reduceOnly-error');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/reduce-only .* would open or increase/);
    expect(await reduceOnly.getAttribute('aria-invalid')).toBe('true');

    // Open a position, then a reduce-only limit on the other side rests in open orders.
    await reduceOnly.uncheck();
    await page.locator('#ticket-quantity').fill('0.002');
    await page.getByRole('button', { name: grow, exact: true }).click();
    await placed.filter({ hasText: 'FILLED' }).waitFor();
    const last = Number(((await api('GET', '/symbols/sim/futures/BTCUSDT/ticker')).json as { c: string }).c);
    const far = (Math.round(last * (shrink === 'Sell' ? 1.2 : 0.8) * 10) / 10).toFixed(1);
    await page.getByLabel('Type', { exact: true }).selectOption('LIMIT');
    await page.locator('#ticket-quantity').fill('0.001');
    await page.locator('#ticket-price').fill(far);
    await page.getByLabel('Time in force').selectOption('GTC');
    await reduceOnly.check();
    await page.getByRole('button', { name: shrink, exact: true }).click();
    const resting = page
      .getByTestId('open-orders')
      .locator('tbody tr')
      .filter({ hasText: 'reduce-only' })
      .filter({ hasText: 'GTC' });
    await resting.first().waitFor();
    await shot('market-futures');
    await resting
      .first()
      .getByRole('button', { name: /^Cancel order/ })
      .click();
    await resting.first().waitFor({ state: 'detached' });

    // A reduce-only market order closes what was opened.
    await page.getByLabel('Type', { exact: true }).selectOption('MARKET');
    await page.locator('#ticket-quantity').fill('0.002');
    await page.getByRole('button', { name: shrink, exact: true }).click();
    await placed.filter({ hasText: /MARKET reduce-only 0\.002 BTCUSDT: FILLED/ }).waitFor();
    await page.getByLabel('Market type').selectOption('spot');
  });

  it('trips and resets the kill switch from Overview', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Overview' }).click();
    const card = page.getByTestId('kill-switch');
    await card.waitFor();
    await page.getByRole('button', { name: 'Trip kill switch…' }).click();
    await page.getByLabel('Reason (recorded in the audit log)').fill('e2e: operator halt');
    await page.getByRole('button', { name: 'Trip', exact: true }).click();
    await page.locator('[data-testid="kill-switch"][data-active="true"]').waitFor();
    await shot('overview');
    await page.getByRole('button', { name: 'Reset kill switch…' }).click();
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.locator('[data-testid="kill-switch"][data-active="false"]').waitFor();
  });

  it("edits a detector's params in the form generated from its schema", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Strategies' }).click();
    const card = page.getByTestId('detector-ema-cross-atr');
    await card.waitFor();
    await card.getByLabel('fast', { exact: true }).fill('8');
    await card.getByRole('button', { name: 'Save params' }).click();
    await card.getByText('saved').waitFor();
    await card.getByLabel('fast', { exact: true }).fill('not a number');
    await card.getByRole('button', { name: 'Save params' }).click();
    await card.getByText('a number').waitFor();
    await shot('strategies');
  });

  it('runs a backtest and draws its equity curve', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Backtests' }).click();
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByTestId('backtest-metrics').waitFor({ timeout: 120_000 });
    await page.getByTestId('equity-chart').waitFor();
    await eventually(async () => expect(await chartInk(page, 'equity-chart')).toBeGreaterThan(300), 30_000, 200);
    await page.getByTestId('backtest-trades').waitFor();
    await shot('backtests', { fullPage: true });
    // The runs list fits its card: nothing sticks out or needs scrolling sideways at this width.
    const runs = page.getByTestId('backtest-runs');
    const widths = await runs.evaluate((t) => ({ table: t.scrollWidth, card: t.parentElement?.clientWidth ?? 0 }));
    expect(widths.table).toBeLessThanOrEqual(widths.card);
    expect(await runs.getByRole('checkbox', { name: /^compare with / }).count()).toBeGreaterThan(0);
  });

  it("shows an order's events in the event log as they happen", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByTestId('event-log').waitFor();
    await page.locator('html[data-ws="connected"]').waitFor();
    const clientOrderId = `e2e-live-${Date.now()}`;
    liveOrderId = clientOrderId;
    const placed = await api('POST', '/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.001',
      connectorType: 'sim',
      marketType: 'spot',
      clientOrderId,
    });
    expect(placed.status).toBe(201);
    await page
      .locator('[data-event-type="PROVIDER_ORDER_CREATE"]')
      .filter({ hasText: clientOrderId })
      .first()
      .waitFor();
    await page.locator('[data-event-type="PROVIDER_ORDER_CLOSE"]').filter({ hasText: clientOrderId }).first().waitFor();
    // A line's payload ends inside the log (cut with an ellipsis), and a click shows the whole event.
    const log = await page.getByTestId('event-log').boundingBox();
    const cell = await page.locator('.vrow > span:last-child').first().boundingBox();
    expect(cell!.x + cell!.width).toBeLessThanOrEqual(log!.x + log!.width);
    await page.locator('[data-event-type="PROVIDER_ORDER_CREATE"]').filter({ hasText: clientOrderId }).first().click();
    const detail = page.getByTestId('event-detail');
    await detail.waitFor();
    expect(await detail.locator('pre').textContent()).toContain(`"clientOrderId": "${clientOrderId}"`);
    await detail.getByRole('link', { name: /^lineage of / }).waitFor();
    // From the keyboard too: Enter on a focused line shows that line's event.
    await page
      .locator('[data-event-type="PROVIDER_ORDER_CLOSE"]')
      .filter({ hasText: clientOrderId })
      .first()
      .press('Enter');
    await detail.locator('strong', { hasText: 'PROVIDER_ORDER_CLOSE' }).waitFor();
    await page.locator('[data-event-type="PROVIDER_ORDER_CREATE"]').filter({ hasText: clientOrderId }).first().click();
    // A backfill started from here reports its progress beside the form.
    await page.getByRole('button', { name: 'Start backfill' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /BTCUSDT min1 (running|finished)/ })
      .waitFor();
    await shot('events', { fullPage: true });
  });

  it("shows an order's lineage: created, filled and closed, each step opening to its event", async () => {
    const { page } = browser;
    await page.goto(`${stack.base}/studio/lineage?id=${encodeURIComponent(liveOrderId)}`);
    const lineage = page.getByTestId('lineage');
    await lineage.locator('[data-event-type="PROVIDER_ORDER_CREATE"]').waitFor();
    await lineage.locator('[data-stage="Fill"]').first().waitFor();
    await lineage.locator('[data-event-type="PROVIDER_ORDER_CLOSE"]').waitFor();
    await lineage.locator('[data-stage="Fill"] summary').first().click();
    expect(await lineage.locator('[data-stage="Fill"]').first().getByTestId('lineage-event').textContent()).toContain(
      liveOrderId,
    );
    await page.getByRole('link', { name: `every event naming ${liveOrderId}` }).click();
    await page.getByTestId('event-log').locator('[data-event-type="PROVIDER_ORDER_FILL"]').first().waitFor();
  });

  it('shows the lineage of an order the inspector placed: signal, decision, risk verdict, orders, fill', async () => {
    // An outside signal (a TradingView alert to an inbound hook) takes the platform's own path:
    // the advisor decides, the inspector judges and places the entry and its protective orders.
    const now = Date.now();
    const backfill = await api('POST', '/candles/sim/futures/BTCUSDT/min1/backfill', {
      from: now - 2 * 3_600_000,
      to: now,
    });
    expect([202, 409]).toContain(backfill.status);
    await eventually(
      async () => {
        const candles = await api('GET', '/candles/sim/futures/BTCUSDT/min1?days=1');
        expect((candles.json as unknown[]).length).toBeGreaterThan(30);
      },
      60_000,
      250,
    );
    const advisor = await api('PUT', '/advisors/advisor/pipeline/config', {
      dataQuality: {
        minCandles: 5,
        maxMissingBars: 10_000,
        maxStalenessMs: 86_400_000,
        requireOrderBook: false,
        maxSpreadPct: '5',
      },
      scoring: { fastPeriod: 2, slowPeriod: 3, rsiPeriod: 2, atrPeriod: 2, maxAtrPct: 100 },
      conviction: { minConfidence: 0 },
      execution: { maxSpreadPct: '5', minRiskReward: '0.5' },
      throttle: { cooldownMs: 0, dedupWindowMs: 0 },
      intent: { quantity: '0.01', ttlMs: 600_000 },
    });
    expect(advisor.status).toBe(200);
    expect(
      (
        await api('PUT', '/inspectors/inspector/policies', {
          maxPositionPercent: '100',
          maxExposurePercent: '200',
          cooldownMs: 0,
        })
      ).status,
    ).toBe(200);
    const secret = 'studio-e2e-hook-secret';
    const hook = await api('POST', '/inbound-hooks', {
      name: 'tv',
      secret,
      symbolMap: { 'BINANCE:BTCUSDT.P': { connectorType: 'sim', marketType: 'futures', symbol: 'BTCUSDT' } },
    });
    expect(hook.status).toBe(201);
    const hookId = (hook.json as { id: string }).id;
    const price = Number(((await api('GET', '/symbols/sim/futures/BTCUSDT/ticker')).json as { c: string }).c);
    const alert = await fetch(`${stack.base}/api/hooks/${hookId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        secret,
        ticker: 'BTCUSDT.P',
        exchange: 'BINANCE',
        action: 'buy',
        price: price.toFixed(2),
        stop: (price - 600).toFixed(2),
        target: (price + 1200).toFixed(2),
        time: new Date().toISOString(),
        id: `studio-e2e-${now}`,
      }),
    });
    const accepted = (await alert.json()) as { status: string; correlationId: string };
    expect(accepted.status).toBe('accepted');
    const cid = accepted.correlationId;
    // The entry and both protective orders carry the signal's correlation id.
    let entryId = '';
    await eventually(
      async () => {
        const orders = (await api('GET', '/orders?symbol=BTCUSDT&limit=50')).json as {
          data: { id: string; correlationId?: string; type: string; status: string }[];
        };
        const list = orders.data.filter((o) => o.correlationId === cid);
        expect(list.length).toBeGreaterThanOrEqual(3);
        const entry = list.find((o) => o.type === 'MARKET' && o.status === 'FILLED');
        expect(entry).toBeDefined();
        entryId = entry!.id;
      },
      90_000,
      250,
    );

    const { page } = browser;
    await page.goto(`${stack.base}/studio/lineage?id=${encodeURIComponent(entryId)}`);
    const lineage = page.getByTestId('lineage');
    for (const stage of ['Signal', 'Decision', 'Risk verdict', 'Order', 'Fill'])
      await lineage.locator(`[data-stage="${stage}"]`).first().waitFor();
    expect(await lineage.locator('[data-stage="Risk verdict"]').first().textContent()).toContain('ALLOW');
    expect(await lineage.locator('[data-event-type="PROVIDER_ORDER_CREATE"]').count()).toBeGreaterThanOrEqual(3);
    // The steps come in the money path's order.
    const stages = await lineage
      .locator('[data-stage]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
    const first = (s: string) => stages.indexOf(s);
    expect(first('Signal')).toBeLessThan(first('Decision'));
    expect(first('Decision')).toBeLessThan(first('Risk verdict'));
    expect(first('Risk verdict')).toBeLessThan(first('Order'));
    expect(first('Order')).toBeLessThan(first('Fill'));
    await shot('lineage');
  });

  it('fits its navigation on one line at 1440 and 1024 px and folds it into a keyboard-driven menu on a narrow window', async () => {
    const { page } = browser;
    await page.goto(`${stack.base}/studio/market`);
    await page.getByTestId('price-chart').waitFor();
    const header = page.locator('header.topbar');
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      // One line: the bar is as tall as one row of links, and every entry sits on it.
      const bar = await header.boundingBox();
      expect(bar?.height).toBeLessThan(50);
      for (const name of ['Overview', 'Market', 'Strategies', 'Lineage', 'Backtests', 'Optimize', 'Events']) {
        const box = await page.getByRole('link', { name, exact: true }).boundingBox();
        expect(box && box.y + box.height).toBeLessThanOrEqual((bar?.y ?? 0) + (bar?.height ?? 0));
      }
    }
    // The menus open from the keyboard: ↓ opens and focuses the first page, Enter follows it.
    const integrations = page.getByRole('button', { name: 'Integrations' });
    await integrations.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/studio\/webhooks$/);
    expect(await integrations.getAttribute('aria-expanded')).toBe('false');

    await page.setViewportSize({ width: 700, height: 900 });
    const fold = page.getByRole('button', { name: 'Pages: Webhooks' });
    await fold.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Audit');
    await page.keyboard.press('Escape');
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Market', exact: true }).click();
    await page.getByTestId('price-chart').waitFor();
    await page.getByRole('button', { name: 'Pages: Market' }).click();
    await shot('navigation-narrow');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows a read-only token every page with its write controls disabled and the missing scope named', async () => {
    const created = await api('POST', '/auth/tokens', { name: 'partner view', scopes: ['read'] });
    expect(created.status).toBe(201);
    const readToken = (created.json as { secret: string }).secret;
    const last = Number(((await api('GET', '/symbols/sim/spot/BTCUSDT/ticker')).json as { c: string }).c);
    const clientOrderId = `e2e-readonly-${Date.now()}`;
    const resting = await api('POST', '/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: (Math.floor(last * 0.7 * 100) / 100).toFixed(2),
      connectorType: 'sim',
      marketType: 'spot',
      clientOrderId,
    });
    expect(resting.status).toBe(201);

    const { page } = browser;
    await page.getByRole('button', { name: 'Session' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').fill(readToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('price-chart').waitFor();
    await page.getByTestId('read-only').waitFor();
    const disabledFor = async (name: string | RegExp, scope: string, within = page.locator('main')) => {
      const control = within.getByRole('button', { name }).first();
      await control.waitFor();
      expect(await control.isDisabled()).toBe(true);
      expect(await control.getAttribute('title')).toBe(`needs a token with the "${scope}" scope`);
    };
    await disabledFor('Buy', 'trade');
    await disabledFor('Sell', 'trade');
    const row = page.getByTestId('open-orders').locator(`tr[data-client-order-id="${clientOrderId}"]`);
    await row.waitFor();
    await disabledFor(/^Cancel order/, 'trade', row);
    await disabledFor(/^Replace order/, 'trade', row);
    await shot('read-only');

    await page.getByRole('link', { name: 'Overview' }).click();
    await disabledFor('Trip kill switch…', 'killswitch');
    await page.getByRole('link', { name: 'Strategies' }).click();
    await disabledFor('Save params', 'configure');
    await disabledFor(/^(Enable|Disable)$/, 'configure');
    await disabledFor('Save policies', 'configure');
    await page.getByRole('link', { name: 'Backtests' }).click();
    await disabledFor('Run backtest', 'configure');
    await page.getByRole('link', { name: 'Events' }).click();
    await disabledFor('Start replay', 'configure');
    await disabledFor('Start backfill', 'configure');
    await page.getByRole('button', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Access' }).click();
    await page.getByText('Managing tokens needs a token with the "admin" scope.').waitFor();
    expect(await page.getByRole('button', { name: 'Create token' }).count()).toBe(0);

    const id = (resting.json as { id: string }).id;
    expect((await api('PUT', '/orders/close', { id })).status).toBe(200);
  });

  it('returns to sign-in with the reason when the token stops working', async () => {
    const { page } = browser;
    await page.evaluate(() => sessionStorage.setItem('barfinex.studio.token', 'revoked-token'));
    await page.reload();
    await page.getByTestId('signout-reason').waitFor();
    // Whichever refuses first, a REST call (401) or the socket handshake, names the reason.
    expect(await page.getByTestId('signout-reason').textContent()).toMatch(/refused the token/);
    expect(await page.getByLabel('API token').isVisible()).toBe(true);
  });

  it('logged no errors in the console besides the refused requests', () => {
    expect(browser.errors.filter((e) => !/status of 401|Failed to load resource/.test(e))).toEqual([]);
  });
});
