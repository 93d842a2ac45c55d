import { isAbsolute, resolve } from 'node:path';
import { defineDetector } from '@barfinex/detector-kit';
import type { Detector } from '@barfinex/detector-kit';
import { EXAMPLE_ALIASES, EXAMPLE_DETECTORS } from '@barfinex/detector-kit/examples';

/** A configuration problem that must stop start-up with a readable message. */
export class DetectorLoadError extends Error {
  override readonly name = 'DetectorLoadError';
}

function isDetector(value: unknown): value is Detector {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Detector>;
  return (v.kind === 'rules' || v.kind === 'evaluate') && typeof v.name === 'string' && typeof v.parseParams === 'function' && typeof v.inputs === 'object';
}

/** A plain spec (name, inputs, rules or evaluate) not yet passed through defineDetector. */
function isSpec(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['name'] === 'string' && typeof v['inputs'] === 'object' && (Array.isArray(v['rules']) || typeof v['evaluate'] === 'function');
}

export function builtinDetector(name: string): Detector {
  const detector = EXAMPLE_DETECTORS[EXAMPLE_ALIASES[name] ?? name];
  if (!detector) {
    const known = [...Object.keys(EXAMPLE_DETECTORS), ...Object.keys(EXAMPLE_ALIASES)].join(', ');
    throw new DetectorLoadError(`unknown detector "${name}" in DETECTOR_DEFINITIONS (built in: ${known})`);
  }
  return detector;
}

/** Every detector a module exports (default or named), in export order. */
export async function loadDetectorModule(path: string, cwd: string = process.cwd()): Promise<Detector[]> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let mod: Record<string, unknown>;
  try {
    // An absolute path works for ESM import on POSIX and for the CommonJS require jest compiles this to.
    mod = (await import(file)) as Record<string, unknown>;
  } catch (err) {
    throw new DetectorLoadError(`cannot load detector module ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const found: Detector[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown) => {
    if (seen.has(value)) return;
    seen.add(value);
    if (isDetector(value)) found.push(value);
    else if (isSpec(value)) found.push(defineDetector(value as Parameters<typeof defineDetector>[0]) as unknown as Detector);
  };
  for (const value of Object.values(mod)) {
    visit(value);
    // A CommonJS module seen through ESM interop nests its exports under `default`.
    if (typeof value === 'object' && value !== null && !isDetector(value) && !isSpec(value)) Object.values(value).forEach(visit);
  }
  if (found.length === 0) throw new DetectorLoadError(`detector module ${path} exports no detector (export the result of defineDetector)`);
  return found;
}

/** Built-ins by name plus every module's detectors; names must be unique (they address the REST API). */
export async function loadDetectors(options: { names: readonly string[]; modules: readonly string[]; cwd?: string }): Promise<Detector[]> {
  const detectors = options.names.map(builtinDetector);
  for (const path of options.modules) detectors.push(...(await loadDetectorModule(path, options.cwd)));
  const names = new Set<string>();
  for (const d of detectors) {
    if (names.has(d.name)) throw new DetectorLoadError(`detector "${d.name}" is configured twice`);
    names.add(d.name);
  }
  if (detectors.length === 0) throw new DetectorLoadError('no detectors configured: set DETECTOR_DEFINITIONS or DETECTOR_MODULES');
  return detectors;
}
