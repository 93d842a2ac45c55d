// Apps ship as one esbuild bundle (tools/build-app.mjs) whose __dirname is apps/<x>/dist, far
// from libs/db/prisma. The migrations must still be found: this bundles a tiny app the same way
// (workspace libs inlined, third-party packages external) and starts it from another cwd.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { embeddedMigrations } from './migrations.generated';

const libRoot = join(__dirname, '..');
const outDir = join(libRoot, 'tmp', `bundle-${process.pid}`);

const entry = `
import { createDatabase } from '@barfinex/db';
void (async () => {
  const db = await createDatabase({ url: 'pglite:memory' });
  const orders = await db.prisma.order.count();
  process.stdout.write(JSON.stringify({ applied: db.migrations?.applied, orders }));
  await db.close();
})();
`;

describe('an esbuild app bundle', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('carries the migrations and applies them on start', async () => {
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, 'main.js');
    await build({
      stdin: { contents: entry, resolveDir: libRoot, loader: 'ts' },
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      conditions: ['development'],
      logLevel: 'silent',
      plugins: [
        {
          name: 'external-third-party',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@barfinex/') ? undefined : { path: args.path, external: true },
            );
          },
        },
      ],
    });
    const { stdout } = await promisify(execFile)(process.execPath, [outfile], {
      cwd: tmpdir(),
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ applied: embeddedMigrations.map((m) => m.name), orders: 0 });
  }, 90_000);
});
