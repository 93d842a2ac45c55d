import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

// A browser app (Studio) bundles the SDK with everything it imports: the contracts, enums and
// events come along, so one bundle checks all four libs. Server-side packages must stay out.
const SERVER_ONLY = [
  'express',
  'pino',
  'pino-pretty',
  'prom-client',
  'axios',
  '@barfinex/service-kit',
  '@barfinex/db',
  'ws',
];
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

interface Found {
  request: string;
  importer: string;
}

function refuseServerImports(found: Found[]): Plugin {
  return {
    name: 'refuse-server-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.startsWith('node:')
          ? args.path
          : args.path
              .split('/')
              .slice(0, args.path.startsWith('@') ? 2 : 1)
              .join('/');
        if (BUILTINS.has(args.path) || args.path.startsWith('node:') || SERVER_ONLY.includes(bare)) {
          found.push({ request: args.path, importer: path.relative(process.cwd(), args.importer) });
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

async function bundle(entry: string): Promise<{ found: Found[]; packages: string[]; bytes: number }> {
  const found: Found[] = [];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    minify: true,
    conditions: ['development'],
    logLevel: 'silent',
    plugins: [refuseServerImports(found)],
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return { found, packages: [...packages].sort(), bytes: result.outputFiles[0]?.contents.length ?? 0 };
}

describe('the SDK in a browser bundle', () => {
  jest.setTimeout(60_000);

  it('imports no Node built-in and no server-side package', async () => {
    const { found, packages, bytes } = await bundle(path.join(__dirname, 'index.ts'));
    expect(found).toEqual([]);
    expect(packages).toEqual(expect.arrayContaining(['socket.io-client', 'zod']));
    for (const name of SERVER_ONLY) expect(packages).not.toContain(name);
    expect(bytes).toBeGreaterThan(0);
  });

  // Studio also imports these directly (the event catalog, the route definitions, the enums).
  it.each(['events', 'contracts', 'enums'])('bundles libs/%s for the browser with no Node built-in', async (lib) => {
    const { found } = await bundle(path.join(__dirname, '..', '..', lib, 'src', 'index.ts'));
    expect(found).toEqual([]);
  });

  it('would catch a Node built-in', async () => {
    const { found } = await bundle(path.join(__dirname, 'browser-bundle.fixture.ts'));
    expect(found.map((f) => f.request)).toEqual(['node:crypto']);
  });
});
