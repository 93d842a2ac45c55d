// `npm start` opens a working Studio on a fresh clone: the web app is built here when its build is
// missing or older than any of its sources (its own and the libs it bundles).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const studio = join(root, 'apps/studio');
const SOURCES = [
  'apps/studio/src',
  'apps/studio/index.html',
  'apps/studio/vite.config.ts',
  'apps/studio/package.json',
  'libs/sdk/src',
  'libs/contracts/src',
  'libs/enums/src',
  'libs/events/src',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the build must run, or null when `apps/studio/dist` is current. */
export function studioBuildReason(base = root): string | null {
  const index = join(base, 'apps/studio/dist/index.html');
  if (!existsSync(index)) return 'no build yet';
  const built = statSync(index).mtimeMs;
  const changed = SOURCES.find((s) => newestMtime(join(base, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

/**
 * Runs `vite build` for apps/studio into a fresh folder and moves it into place, so two starts at
 * once (tests run several) never serve or write a half-built app. Rejects with vite's output on failure.
 */
export async function buildStudio(): Promise<void> {
  const out = join(studio, `dist.building-${process.pid}`);
  const dist = join(studio, 'dist');
  await new Promise<void>((resolvePromise, reject) => {
    const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'], {
      cwd: studio,
      // Always the production build: a NODE_ENV inherited from the caller (jest sets `test`) would
      // make vite bundle React's development build, whose StrictMode double effects close the live socket.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`vite build of Studio failed (exit ${code}):\n${output.slice(-4000)}`)),
    );
  }).catch((err: unknown) => {
    rmSync(out, { recursive: true, force: true });
    throw err;
  });
  rmSync(dist, { recursive: true, force: true });
  try {
    renameSync(out, dist);
  } catch {
    // another start moved its own build into place first: the same sources, so keep that one
    rmSync(out, { recursive: true, force: true });
  }
}
