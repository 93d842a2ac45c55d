import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { defineDetector } from './detector';
import type { Detector } from './detector';

/**
 * Loading detectors from files, for the hosts that run them (the detector app, the provider's
 * backtests and optimisation workers). Node only: the rest of the kit stays free of Node built-ins.
 */

/** A module that cannot be loaded or exports no detector: a configuration problem. */
export class DetectorLoadError extends Error {
  override readonly name = 'DetectorLoadError';
}

export function isDetector(value: unknown): value is Detector {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Detector>;
  return (
    (v.kind === 'rules' || v.kind === 'evaluate') &&
    typeof v.name === 'string' &&
    typeof v.parseParams === 'function' &&
    typeof v.inputs === 'object'
  );
}

/** A plain spec (name, inputs, rules or evaluate) not yet passed through defineDetector. */
function isSpec(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['name'] === 'string' &&
    typeof v['inputs'] === 'object' &&
    (Array.isArray(v['rules']) || typeof v['evaluate'] === 'function')
  );
}

export type ModuleImporter = (file: string) => Promise<unknown>;

// An absolute path works for ESM import on POSIX and for the CommonJS require jest compiles this to.
const importModule: ModuleImporter = (file) => import(file);

/** Every detector a module exports (default or named), in export order; `importer` replaces import() (a worker thread with only a require hook). */
export async function loadDetectorModule(
  path: string,
  cwd: string = process.cwd(),
  importer: ModuleImporter = importModule,
): Promise<Detector[]> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let mod: Record<string, unknown>;
  try {
    mod = (await importer(file)) as Record<string, unknown>;
  } catch (err) {
    throw new DetectorLoadError(
      `cannot load detector module ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const found: Detector[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown) => {
    if (seen.has(value)) return;
    seen.add(value);
    if (isDetector(value)) found.push(value);
    else if (isSpec(value))
      found.push(defineDetector(value as Parameters<typeof defineDetector>[0]) as unknown as Detector);
  };
  for (const value of Object.values(mod)) {
    visit(value);
    // A CommonJS module seen through ESM interop nests its exports under `default`.
    if (typeof value === 'object' && value !== null && !isDetector(value) && !isSpec(value))
      Object.values(value).forEach(visit);
  }
  if (found.length === 0)
    throw new DetectorLoadError(`detector module ${path} exports no detector (export the result of defineDetector)`);
  return found;
}

/**
 * The user's own detectors: every `<dir>/<name>/src/<name>.ts` (or `src/index.ts`) under `dir`,
 * the layout the detector generator writes (`detectors/<name>/`). A missing dir holds none.
 */
export function discoverDetectorModules(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const candidates = [join(dir, entry.name, 'src', `${entry.name}.ts`), join(dir, entry.name, 'src', 'index.ts')];
    const found = candidates.find((f) => existsSync(f));
    if (found) out.push(found);
  }
  return out;
}
