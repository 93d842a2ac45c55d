import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const MARK = 'BARFINEX_BENCH_BUNDLED';

/** The node flags the app images run with (the Dockerfile's CMD; tools/stack/src/deploy.spec.ts checks them). */
export const SHIPPED_NODE_FLAGS = ['--max-semi-space-size=32'];

/**
 * Bundles `entry` (a path) into `outfile` with esbuild as tools/build-app.mjs does: workspace libs
 * and app code inlined from their TypeScript sources, third-party packages left as requires. The
 * output should sit inside the repository so those requires resolve from its node_modules.
 */
export async function bundleFile(entry: string, outfile: string): Promise<string> {
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
  return outfile;
}

/** Where benchmarks put their bundles: inside node_modules, so external requires resolve. */
export const BENCH_BUNDLE_DIR = join(resolve(__dirname, '../..'), 'node_modules/.cache/barfinex-bench');

/**
 * Runs the calling benchmark from an esbuild bundle of itself, with the node flags of the
 * production images: the same form as what ships. Under tsx every cross-module binding is read
 * through a getter, which on a hot path of small functions (the matching engine) costs about a
 * third of the time.
 * Resolves inside the bundled run; in the outer run it builds, runs the bundle and exits with its code.
 */
export async function runBundled(entry: string): Promise<void> {
  if (process.env[MARK] === '1') return;
  mkdirSync(BENCH_BUNDLE_DIR, { recursive: true });
  const outfile = await bundleFile(entry, join(BENCH_BUNDLE_DIR, `${basename(entry).replace(/\.ts$/, '')}.cjs`));
  const run = spawnSync(process.execPath, [...SHIPPED_NODE_FLAGS, outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [MARK]: '1' },
  });
  process.exit(run.status ?? 1);
}

/** `startProviderProcess`'s `launch`: node's flags, and the bundle to run (else the TypeScript under tsx). */
export interface ProviderLaunch {
  nodeFlags: readonly string[];
  bundle?: string;
}

/**
 * How a benchmark starts the provider (`startProviderProcess`'s `launch`): as the image runs it
 * (`node --max-semi-space-size=32 dist/main.js`, an esbuild bundle built as tools/build-app.mjs
 * does), or with BENCH_PROVIDER_FORM=source as `npm run start:provider` does (its TypeScript under
 * tsx, with the same flags).
 */
export async function shippedProvider(): Promise<{ label: string; launch: ProviderLaunch }> {
  const nodeFlags = SHIPPED_NODE_FLAGS;
  const form = process.env['BENCH_PROVIDER_FORM'] ?? 'bundle';
  if (form !== 'bundle' && form !== 'source')
    throw new Error(`BENCH_PROVIDER_FORM is 'bundle' (the default) or 'source', not '${form}'`);
  if (form === 'source') return { label: `source under tsx, node ${nodeFlags.join(' ')}`, launch: { nodeFlags } };
  const root = resolve(__dirname, '../..');
  const bundle = await bundleFile(join(root, 'apps/provider/src/main.ts'), join(root, 'apps/provider/dist/main.js'));
  return { label: `bundle, node ${nodeFlags.join(' ')}`, launch: { nodeFlags, bundle } };
}
