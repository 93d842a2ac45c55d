import type { DetectorInfo } from '@barfinex/contracts';
import { DetectorParamsError, detectorParamsJsonSchema, parseDetectorParams } from '@barfinex/detector-kit';
import type { Detector } from '@barfinex/detector-kit';
import { EXAMPLE_ALIASES, EXAMPLE_DETECTORS } from '@barfinex/detector-kit/examples';
import { discoverDetectorModules, loadDetectorModule } from '@barfinex/detector-kit/loader';
import type { ModuleImporter } from '@barfinex/detector-kit/loader';
import type { TimeFrame } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every detector this process can run: the kit's built-in examples and the user's own, found in
 * the detectors directory (`detectors/<name>/`, what the generator writes). Loaded once at start;
 * backtests, batch backtests, optimisations and their workers all look names up here.
 */
export interface DetectorCatalog {
  get(name: string): Detector | undefined;
  names(): string[];
  list(): DetectorInfo[];
  /** Module files of the user's detectors (the workers load the same ones). */
  readonly modules: readonly string[];
}

export function builtinCatalog(): DetectorCatalog {
  return catalogOf([], []);
}

function catalogOf(user: readonly Detector[], modules: readonly string[]): DetectorCatalog {
  const byName = new Map<string, { detector: Detector; origin: 'builtin' | 'user' }>();
  for (const d of Object.values(EXAMPLE_DETECTORS)) byName.set(d.name, { detector: d, origin: 'builtin' });
  // A user's detector with a built-in's name replaces it: the user asked for theirs.
  for (const d of user) byName.set(d.name, { detector: d, origin: 'user' });
  const aliasesOf = (name: string) =>
    byName.get(name)?.origin === 'builtin'
      ? Object.keys(EXAMPLE_ALIASES).filter((alias) => EXAMPLE_ALIASES[alias] === name)
      : [];
  const builtinByAlias = (alias: string) => {
    const entry = byName.get(EXAMPLE_ALIASES[alias] ?? '');
    return entry?.origin === 'builtin' ? entry.detector : undefined;
  };
  return {
    modules,
    get: (name) => byName.get(name)?.detector ?? builtinByAlias(name),
    names: () => [...byName.keys(), ...Object.keys(EXAMPLE_ALIASES)].sort(),
    list: () =>
      [...byName.values()]
        .map(({ detector, origin }) => ({
          name: detector.name,
          version: detector.version,
          ...(detector.description !== undefined ? { description: detector.description } : {}),
          origin,
          aliases: aliasesOf(detector.name),
          timeframes: [...detector.inputs.timeframes],
          paramsSchema: detectorParamsJsonSchema(detector),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Built-ins plus every detector module under `dir` (a missing dir adds none). */
export async function loadDetectorCatalog(
  dir: string | undefined,
  importer?: ModuleImporter,
): Promise<DetectorCatalog> {
  const modules = dir ? discoverDetectorModules(dir) : [];
  const user: Detector[] = [];
  for (const file of modules) user.push(...(await loadDetectorModule(file, undefined, importer)));
  return catalogOf(user, modules);
}

/**
 * A catalog usable at once (built-ins) that takes in the user's detectors when `load()` has read
 * `dir`: the routes are mounted synchronously, the modules are imported at start.
 */
export function createDetectorCatalog(dir: string | undefined): DetectorCatalog & { load(): Promise<DetectorCatalog> } {
  let current = builtinCatalog();
  return {
    get: (name) => current.get(name),
    names: () => current.names(),
    list: () => current.list(),
    get modules() {
      return current.modules;
    },
    async load() {
      current = await loadDetectorCatalog(dir);
      return current;
    },
  };
}

export function knownDetectorNames(catalog: DetectorCatalog = builtinCatalog()): string[] {
  return catalog.names();
}

/** Params the detector's schema accepts (400 naming each field otherwise), defaults filled. */
export function checkDetectorParams(detector: Detector, rawParams: unknown): Record<string, unknown> {
  let params: Record<string, unknown>;
  try {
    params = parseDetectorParams(detector, rawParams ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof DetectorParamsError) throw badRequest(err.message, { issues: err.issues });
    throw err;
  }
  // The schema drops names it does not know; a misspelt param would otherwise run on its default.
  const unknown = isRecord(rawParams) ? Object.keys(rawParams).filter((k) => !Object.hasOwn(params, k)) : [];
  if (unknown.length > 0) {
    throw badRequest(
      `unknown params for detector ${detector.name}: ${unknown.join(', ')} (known: ${Object.keys(params).join(', ')})`,
      {
        issues: unknown.map((path) => ({ path, message: 'unknown parameter' })),
      },
    );
  }
  return params;
}

/** A detector by name (400 when unknown) that reads `interval`. */
export function findDetector(name: string, interval: TimeFrame, catalog: DetectorCatalog = builtinCatalog()): Detector {
  const detector = catalog.get(name);
  if (!detector) throw badRequest(`unknown detector "${name}"`, { known: catalog.names() });
  if (!detector.inputs.timeframes.includes(interval)) {
    throw badRequest(`${detector.name} reads ${detector.inputs.timeframes.join(', ')} candles, not ${interval}`, {
      timeframes: detector.inputs.timeframes,
    });
  }
  return detector;
}

/**
 * A detector by its name or short alias, with validated params. Every problem is the caller's
 * (400): an unknown name, params the detector's schema refuses, a time frame it does not read.
 */
export function resolveDetector(
  name: string,
  rawParams: unknown,
  interval: TimeFrame,
  catalog: DetectorCatalog = builtinCatalog(),
): { detector: Detector; params: Record<string, unknown> } {
  const detector = findDetector(name, interval, catalog);
  return { detector, params: checkDetectorParams(detector, rawParams) };
}
