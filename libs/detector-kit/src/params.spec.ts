import { z } from 'zod';
import { defineDetector } from './detector';
import { detectorParamsJsonSchema } from './params';

describe('detectorParamsJsonSchema', () => {
  it('describes each param with its type, bounds and default, none required when defaulted', () => {
    const detector = defineDetector({
      name: 'schema-demo',
      inputs: { timeframes: ['min1'] },
      params: z.object({
        fast: z.number().int().min(2).default(9),
        mode: z.enum(['a', 'b']).default('a'),
        strict: z.boolean().default(false),
      }),
      evaluate: () => null,
    });
    const schema = detectorParamsJsonSchema(detector) as {
      type: string;
      properties: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    expect(schema.type).toBe('object');
    expect(schema.properties['fast']).toMatchObject({ type: 'integer', minimum: 2, default: 9 });
    expect(schema.properties['mode']).toMatchObject({ enum: ['a', 'b'] });
    expect(schema.properties['strict']).toMatchObject({ type: 'boolean' });
    expect(schema.required ?? []).toEqual([]);
  });
});
