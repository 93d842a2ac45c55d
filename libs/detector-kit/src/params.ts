import { z } from 'zod';
import type { Detector } from './detector';
import { DetectorParamsError } from './errors';

/** Validates params against the detector's schema; failures name each field (for a 400). */
export function parseDetectorParams(detector: Detector, input: unknown): Record<string, unknown> {
  try {
    return detector.parseParams(input);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new DetectorParamsError(detector.name, error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
    }
    throw error;
  }
}
