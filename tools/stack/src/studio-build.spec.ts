import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStudio, studioBuildReason } from './studio-build';

describe('buildStudio', () => {
  jest.setTimeout(120_000);

  it("bundles React's production build even when the caller's NODE_ENV says otherwise", async () => {
    // jest runs with NODE_ENV=test, as a test that starts the stack does: the build must not inherit it.
    expect(process.env['NODE_ENV']).toBe('test');
    await buildStudio();
    const assets = join(__dirname, '../../../apps/studio/dist/assets');
    const js = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    expect(js).toContain('createRoot');
    expect(js).not.toContain('Download the React DevTools');
  });
});

describe('studioBuildReason', () => {
  let base: string;
  const touch = (file: string, secondsAgo: number) => {
    const path = join(base, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'x');
    const t = new Date(Date.UTC(2026, 0, 1) - secondsAgo * 1000);
    utimesSync(path, t, t);
  };
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'studio-build-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('builds when there is no build', () => {
    expect(studioBuildReason(base)).toBe('no build yet');
  });

  it('rebuilds when a source of the app or of a lib it bundles is newer than the build', () => {
    touch('apps/studio/src/main.tsx', 100);
    touch('apps/studio/dist/index.html', 50);
    for (const dir of ['apps/studio/src', 'apps/studio/dist']) utimesSync(join(base, dir), new Date(0), new Date(0));
    expect(studioBuildReason(base)).toBeNull();
    touch('libs/sdk/src/client.ts', 10);
    expect(studioBuildReason(base)).toBe('libs/sdk/src changed since the last build');
  });
});
