export { ADVISOR_VERSION, createAdvisorApp } from './app';
export type { AdvisorApp, AdvisorDeps } from './app';
export { AdvisorConfigSchema, loadAdvisorConfig } from './config';
export type { AdvisorConfig } from './config';
export { PipelineConfigSchema, DEFAULT_PIPELINE_CONFIG } from './pipeline/pipeline-config';
export type { PipelineConfig } from './pipeline/pipeline-config';
export type { Synthesizer, SynthesisAnswer, SynthesisRequest } from './pipeline/stages/synthesis';
