import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { detectorGenerator } from './generator';

const ROOT = path.resolve(__dirname, '../../..');

describe('detector generator', () => {
  it('by default makes the detector its own Nx project under detectors/<name>/, importing the package', () => {
    const tree = createTreeWithEmptyWorkspace();
    detectorGenerator(tree, { name: 'my-breakout' });
    const source = tree.read('detectors/my-breakout/src/my-breakout.ts', 'utf-8') ?? '';
    expect(source).toContain("from '@barfinex/detector-kit'");
    expect(source).toContain('npx tsx --conditions=development detectors/my-breakout/src/my-breakout.ts');
    expect(tree.exists('detectors/my-breakout/src/my-breakout.spec.ts')).toBe(true);
    const project = JSON.parse(tree.read('detectors/my-breakout/project.json', 'utf-8') ?? '{}') as {
      name: string;
      targets: Record<string, unknown>;
    };
    expect(project.name).toBe('detector-my-breakout');
    expect(Object.keys(project.targets)).toEqual(['test', 'typecheck', 'lint']);
    expect(tree.read('detectors/my-breakout/jest.config.cjs', 'utf-8')).toContain("require('../../jest.preset.cjs')");
    expect(tree.exists('detectors/my-breakout/tsconfig.json')).toBe(true);
    expect(() => detectorGenerator(tree, { name: 'my-breakout' })).toThrow(/already exists/);
  });

  it('scaffolds a detector and its spec in the kit examples, importing the kit source', () => {
    const tree = createTreeWithEmptyWorkspace();
    detectorGenerator(tree, { name: 'my-breakout', directory: 'libs/detector-kit/examples' });
    const source = tree.read('libs/detector-kit/examples/my-breakout.ts', 'utf-8') ?? '';
    const spec = tree.read('libs/detector-kit/examples/my-breakout.spec.ts', 'utf-8') ?? '';
    expect(source).toContain("from '../src'");
    expect(source).toContain('export const myBreakout = defineDetector({');
    expect(source).toContain("name: 'my-breakout'");
    expect(source).toContain('npx tsx --conditions=development libs/detector-kit/examples/my-breakout.ts');
    expect(spec).toContain("import { myBreakout } from './my-breakout';");
    expect(() => detectorGenerator(tree, { name: 'my-breakout', directory: 'libs/detector-kit/examples' })).toThrow(
      /already exists/,
    );
  });

  it('imports the package when the detector lives outside the kit', () => {
    const tree = createTreeWithEmptyWorkspace();
    detectorGenerator(tree, { name: 'Trend Rider', directory: 'apps/detector/src/strategies', timeframe: 'h1' });
    const source = tree.read('apps/detector/src/strategies/trend-rider.ts', 'utf-8') ?? '';
    expect(source).toContain("from '@barfinex/detector-kit'");
    expect(source).toContain("timeframes: ['h1']");
  });

  // The real proof: generated files on disk, type-checked and their spec run by jest.
  it('generates a detector whose test passes', () => {
    const dir = fs.mkdtempSync(path.join(__dirname, '..', '.tmp-'));
    try {
      const tree = createTreeWithEmptyWorkspace();
      detectorGenerator(tree, { name: 'scaffold-check', directory: 'out' });
      for (const change of tree.listChanges()) {
        if (!change.path.startsWith('out/') || !change.content) continue;
        fs.writeFileSync(path.join(dir, path.basename(change.path)), change.content);
      }
      fs.writeFileSync(
        path.join(dir, 'jest.config.cjs'),
        `module.exports = { ...require(${JSON.stringify(path.join(ROOT, 'jest.preset.cjs'))}), rootDir: __dirname };\n`,
      );
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: path.join(ROOT, 'tsconfig.base.json'),
          compilerOptions: { types: ['node', 'jest'], noEmit: true },
          include: ['*.ts'],
        }),
      );
      const tsc = spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')],
        { encoding: 'utf-8' },
      );
      expect(tsc.stdout + tsc.stderr).toBe('');
      const jest = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/jest/bin/jest.js'),
          '-c',
          path.join(dir, 'jest.config.cjs'),
          '--ci',
          '--no-colors',
        ],
        {
          encoding: 'utf-8',
          cwd: dir,
          env: { ...process.env, FORCE_COLOR: '0' },
        },
      );
      expect(jest.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
      expect(jest.status).toBe(0);
      // The command its header gives runs it.
      const source = fs.readFileSync(path.join(dir, 'scaffold-check.ts'), 'utf-8');
      const run = /Run it: npx tsx (.*) out\/scaffold-check\.ts/.exec(source)?.[1] ?? '';
      expect(run).toBe('--conditions=development');
      const tsx = spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), ...run.split(' '), path.join(dir, 'scaffold-check.ts')],
        { encoding: 'utf-8', cwd: ROOT },
      );
      expect(tsx.stderr).toBe('');
      expect(tsx.stdout).toMatch(/\n\d+ signals\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
