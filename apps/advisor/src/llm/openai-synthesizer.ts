import { z } from 'zod';
import { createHttpClient, mapAxiosError } from '@barfinex/service-kit';
import type { SynthesisAnswer, SynthesisRequest, Synthesizer } from '../pipeline/stages/synthesis';
import { SynthesisAnswerSchema } from '../pipeline/stages/synthesis';

export interface OpenAiSynthesizerOptions {
  /** API root including the version, e.g. https://host/v1. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

export class SynthesisFormatError extends Error {
  override readonly name = 'SynthesisFormatError';
}

const SYSTEM_PROMPT = [
  'You review trade ideas for a rule-based trading advisor.',
  'Answer with one JSON object only: {"verdict":"agree"|"disagree"|"abstain","confidence":<0..1>,"rationale":"<one or two sentences>"}.',
  'Judge only from the facts given; do not invent prices or news.',
].join(' ');

/** An OpenAI-compatible chat-completions client; the answer must parse as SynthesisAnswer or it is discarded. */
export function createOpenAiSynthesizer(options: OpenAiSynthesizerOptions): Synthesizer & { close(): void } {
  const http = createHttpClient({
    baseURL: `${options.baseUrl.replace(/\/+$/, '')}/`,
    timeoutMs: options.timeoutMs,
    headers: {
      'content-type': 'application/json',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    },
  });
  return {
    model: options.model,
    async synthesize(request: SynthesisRequest): Promise<SynthesisAnswer> {
      let data: unknown;
      try {
        const res = await http.post('chat/completions', {
          model: options.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: JSON.stringify(request) },
          ],
        });
        data = res.data;
      } catch (err) {
        throw mapAxiosError(err);
      }
      const completion = CompletionSchema.safeParse(data);
      if (!completion.success) throw new SynthesisFormatError('completion without choices');
      const content = completion.data.choices[0]?.message.content ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch {
        throw new SynthesisFormatError(`answer is not JSON: ${content.slice(0, 120)}`);
      }
      const answer = SynthesisAnswerSchema.safeParse(parsed);
      if (!answer.success)
        throw new SynthesisFormatError(
          `answer does not match the schema: ${answer.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      return answer.data;
    },
    close: () => http.close(),
  };
}
