export { DETECTOR_APP_VERSION, createDetectorApp } from './app';
export type { DetectorApp, DetectorAppDeps } from './app';
export { DetectorConfigSchema, loadDetectorConfig } from './config';
export type { DetectorAppConfig } from './config';
export { DetectorLoadError, builtinDetector, loadDetectorModule, loadDetectors } from './detectors/definitions';
export type { DetectorPlan } from './detectors/plan';
