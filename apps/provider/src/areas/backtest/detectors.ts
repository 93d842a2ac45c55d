import { DetectorParamsError, parseDetectorParams } from '@barfinex/detector-kit';
import type { Detector } from '@barfinex/detector-kit';
import { EXAMPLE_ALIASES, EXAMPLE_DETECTORS } from '@barfinex/detector-kit/examples';
import type { TimeFrame } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function knownDetectorNames(): string[] {
  return [...Object.keys(EXAMPLE_DETECTORS), ...Object.keys(EXAMPLE_ALIASES)].sort();
}

/**
 * A built-in detector by its name or short alias, with validated params. Every problem is the
 * caller's (400): an unknown name, params the detector's schema refuses, a time frame it does not read.
 */
export function resolveDetector(name: string, rawParams: unknown, interval: TimeFrame): { detector: Detector; params: Record<string, unknown> } {
  const detector = EXAMPLE_DETECTORS[EXAMPLE_ALIASES[name] ?? name];
  if (!detector) throw badRequest(`unknown detector "${name}"`, { known: knownDetectorNames() });
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
    throw badRequest(`unknown params for detector ${detector.name}: ${unknown.join(', ')} (known: ${Object.keys(params).join(', ')})`, {
      issues: unknown.map((path) => ({ path, message: 'unknown parameter' })),
    });
  }
  if (!detector.inputs.timeframes.includes(interval)) {
    throw badRequest(`${detector.name} reads ${detector.inputs.timeframes.join(', ')} candles, not ${interval}`, { timeframes: detector.inputs.timeframes });
  }
  return { detector, params };
}
