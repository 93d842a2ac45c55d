import type { SynthesisConfig, Synthesizer } from '../pipeline/stages/synthesis';
import { createOpenAiSynthesizer } from './openai-synthesizer';

/**
 * Follows the live pipeline config: the HTTP client is rebuilt only when the endpoint, model or
 * timeout changes, so a PUT of the config takes effect on the next decision.
 */
export function createConfiguredSynthesizer(
  config: () => SynthesisConfig,
  apiKey: string | undefined,
): Synthesizer & { close(): void } {
  let current: { key: string; client: ReturnType<typeof createOpenAiSynthesizer> } | undefined;
  const client = () => {
    const c = config();
    if (!c.baseUrl) throw new Error('synthesis has no baseUrl');
    const key = `${c.baseUrl}|${c.model}|${c.timeoutMs}`;
    if (current?.key !== key) {
      current?.client.close();
      current = {
        key,
        client: createOpenAiSynthesizer({
          baseUrl: c.baseUrl,
          model: c.model,
          timeoutMs: c.timeoutMs,
          ...(apiKey ? { apiKey } : {}),
        }),
      };
    }
    return current.client;
  };
  return {
    get model() {
      return config().model;
    },
    synthesize: (request) => client().synthesize(request),
    close: () => current?.client.close(),
  };
}
