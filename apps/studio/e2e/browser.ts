import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded build (CI installs the `chromium` package). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(width = 1440, height = 900): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'studio-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** How many sampled pixels of a chart's canvases differ from the background: 0 for a blank chart. */
export function chartInk(page: Page, testId = 'price-chart'): Promise<number> {
  return page.getByTestId(testId).evaluate((root) => {
    let n = 0;
    for (const c of Array.from(root.querySelectorAll('canvas'))) {
      const ctx = c.width && c.height ? c.getContext('2d') : null;
      if (!ctx) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const r0 = d[0] ?? 0;
      const g0 = d[1] ?? 0;
      for (let i = 0; i < d.length; i += 16)
        if (Math.abs((d[i] ?? 0) - r0) + Math.abs((d[i + 1] ?? 0) - g0) > 40) n += 1;
    }
    return n;
  });
}

/** The screenshots land in STUDIO_SCREENSHOTS (docs/studio refreshes the README's pictures), else a temp folder. */
export function screenshotPath(name: string, repoRoot: string): string {
  const dir = process.env['STUDIO_SCREENSHOTS'];
  return dir ? path.resolve(repoRoot, dir, `${name}.png`) : path.join(tmpdir(), `studio-${name}.png`);
}
