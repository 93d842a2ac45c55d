import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const MARK = 'BARFINEX_BENCH_BUNDLED';

/**
 * Runs the calling benchmark from an esbuild bundle of itself: workspace libs and app code inlined,
 * third-party packages external, the same form as the production images (tools/build-app.mjs).
 * Under tsx every cross-module binding is read through a getter, which on a hot path of small
 * functions (the matching engine) costs about a third of the time and is not what ships.
 * Resolves inside the bundled run; in the outer run it builds, runs the bundle and exits with its code.
 */
export async function runBundled(entry: string): Promise<void> {
  if (process.env[MARK] === '1') return;
  const root = resolve(__dirname, '../..');
  // Inside node_modules so the bundle's external imports resolve from the workspace root.
  const outDir = join(root, 'node_modules/.cache/barfinex-bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, '')}.cjs`);
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    conditions: ['development'],
    logLevel: 'warning',
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
  const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [MARK]: '1' },
  });
  process.exit(run.status ?? 1);
}
