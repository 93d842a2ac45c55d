// Bundles one app (apps/<name>/src/main.ts) with its workspace libs into apps/<name>/dist/main.js.
// Third-party packages stay external and are installed in the runtime image with `npm ci --omit=dev`.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
if (!name) {
  console.error('usage: node tools/build-app.mjs <app-name>');
  process.exit(2);
}

const externalThirdParty = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@barfinex/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

// Worker-thread entries (`*.worker.ts`) become their own bundles next to main.js, where the app
// looks for them (`dist/<name>.worker.js`).
const workers = readdirSync(resolve(root, 'apps', name, 'src'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.worker.ts'));

await build({
  entryPoints: [
    resolve(root, 'apps', name, 'src/main.ts'),
    ...workers.map((f) => resolve(root, 'apps', name, 'src', f)),
  ],
  outdir: resolve(root, 'apps', name, 'dist'),
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  conditions: ['development'],
  plugins: [externalThirdParty],
  logLevel: 'warning',
});
console.log(`built apps/${name}/dist/main.js${workers.length ? ` and ${workers.length} worker bundle(s)` : ''}`);
