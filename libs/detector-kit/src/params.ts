import { z } from 'zod';
import type { Detector } from './detector';
import { DetectorParamsError } from './errors';

/** Validates params against the detector's schema; failures name each field (for a 400). */
export function parseDetectorParams(detector: Detector, input: unknown): Record<string, unknown> {
  try {
    return detector.parseParams(input);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new DetectorParamsError(
        detector.name,
        error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
    }
    throw error;
  }
}

/**
 * The detector's params as JSON Schema (draft 2020-12, the input side: defaults are optional), so a
 * client such as Studio can generate a form and check it before sending; the detector still validates.
 */
export function detectorParamsJsonSchema(detector: Detector): Record<string, unknown> {
  if (!detector.params) return { type: 'object', properties: {} };
  return z.toJSONSchema(detector.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
