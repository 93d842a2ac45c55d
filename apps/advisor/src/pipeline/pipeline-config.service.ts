import { parseInput } from '@barfinex/service-kit';
import type { DecisionsRepository } from '../decisions/decisions.repository';
import { DEFAULT_PIPELINE_CONFIG, PipelineConfigSchema } from './pipeline-config';
import type { PipelineConfig } from './pipeline-config';

export interface PipelineConfigState {
  config: PipelineConfig;
  version: number;
  updatedAt: number | null;
}

/** The live pipeline config: read by every decision, replaced as a whole by PUT, persisted. */
export function createPipelineConfigService(deps: {
  repo: Pick<DecisionsRepository, 'loadConfig' | 'saveConfig'>;
  now: () => number;
}) {
  let state: PipelineConfigState = { config: DEFAULT_PIPELINE_CONFIG, version: 0, updatedAt: null };
  return {
    current: (): PipelineConfig => state.config,
    state: (): PipelineConfigState => state,
    /** A stored config from an older schema must not stop the advisor: it is quarantined and defaults stand until the next PUT. */
    async load(): Promise<void> {
      const stored = await deps.repo.loadConfig((config) => PipelineConfigSchema.parse(config));
      if (stored) state = stored;
    },
    async replace(body: unknown): Promise<PipelineConfigState> {
      const config = parseInput(PipelineConfigSchema, body, 'body');
      const saved = await deps.repo.saveConfig(config, deps.now());
      state = { config, version: saved.version, updatedAt: saved.updatedAt };
      return state;
    },
  };
}
export type PipelineConfigService = ReturnType<typeof createPipelineConfigService>;
