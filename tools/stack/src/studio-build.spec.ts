import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { studioBuildReason } from './studio-build';

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
