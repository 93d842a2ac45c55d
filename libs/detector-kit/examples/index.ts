/**
 * The narrated examples as ready-to-host detectors: `apps/detector` looks names up here
 * (`DETECTOR_DEFINITIONS=ema-cross,rsi-reversion`), so a fresh install runs real strategies.
 */
import type { Detector } from '../src';
import { emaCrossAtr } from './ema-cross-atr';
import { rsiMeanReversion } from './rsi-mean-reversion';

export { emaCrossAtr } from './ema-cross-atr';
export { rsiMeanReversion } from './rsi-mean-reversion';

/** Every example by its detector name. */
export const EXAMPLE_DETECTORS: Readonly<Record<string, Detector>> = Object.freeze({
  [emaCrossAtr.name]: emaCrossAtr as unknown as Detector,
  [rsiMeanReversion.name]: rsiMeanReversion as unknown as Detector,
});

/** Short names accepted in configuration. */
export const EXAMPLE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'ema-cross': emaCrossAtr.name,
  'rsi-reversion': rsiMeanReversion.name,
});
