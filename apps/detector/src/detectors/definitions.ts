import { resolve } from 'node:path';
import type { Detector } from '@barfinex/detector-kit';
import { EXAMPLE_ALIASES, EXAMPLE_DETECTORS } from '@barfinex/detector-kit/examples';
import { DetectorLoadError, loadDetectorModule } from '@barfinex/detector-kit/loader';

export { DetectorLoadError, loadDetectorModule };

export function builtinDetector(name: string): Detector {
  const detector = EXAMPLE_DETECTORS[EXAMPLE_ALIASES[name] ?? name];
  if (!detector) {
    const known = [...Object.keys(EXAMPLE_DETECTORS), ...Object.keys(EXAMPLE_ALIASES)].join(', ');
    throw new DetectorLoadError(`unknown detector "${name}" in DETECTOR_DEFINITIONS (built in: ${known})`);
  }
  return detector;
}

/** Built-ins by name plus every module's detectors; names must be unique (they address the REST API). */
export async function loadDetectors(options: {
  names: readonly string[];
  modules: readonly string[];
  cwd?: string;
}): Promise<Detector[]> {
  const detectors = options.names.map(builtinDetector);
  // A module named in DETECTOR_MODULES and also found in the detectors dir is loaded once.
  const modules = [...new Set(options.modules.map((m) => resolve(options.cwd ?? process.cwd(), m)))];
  for (const path of modules) detectors.push(...(await loadDetectorModule(path, options.cwd)));
  const names = new Set<string>();
  for (const d of detectors) {
    if (names.has(d.name)) throw new DetectorLoadError(`detector "${d.name}" is configured twice`);
    names.add(d.name);
  }
  if (detectors.length === 0)
    throw new DetectorLoadError('no detectors configured: set DETECTOR_DEFINITIONS or DETECTOR_MODULES');
  return detectors;
}
