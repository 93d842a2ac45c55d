import { fieldsOf, readForm } from './schema-form';

const schema = {
  type: 'object',
  properties: {
    fast: { type: 'integer', minimum: 2, default: 9 },
    ratio: { type: 'number' },
    mode: { type: 'string', enum: ['a', 'b'] },
    strict: { type: 'boolean' },
  },
};

describe('params form from JSON Schema', () => {
  it('makes one field per param with its type and bounds', () => {
    expect(fieldsOf(schema).map((f) => [f.name, f.type])).toEqual([
      ['fast', 'integer'],
      ['ratio', 'number'],
      ['mode', 'enum'],
      ['strict', 'boolean'],
    ]);
  });

  it('reads typed values and names each refused field', () => {
    const fields = fieldsOf(schema);
    expect(readForm(fields, { fast: '5', ratio: '1.5', mode: 'b', strict: 'true' })).toEqual({
      values: { fast: 5, ratio: 1.5, mode: 'b', strict: true },
      errors: {},
    });
    expect(readForm(fields, { fast: '1', ratio: 'x', mode: 'c' }).errors).toEqual({
      fast: 'at least 2',
      ratio: 'a number',
      mode: 'one of a, b',
    });
    expect(readForm(fields, { fast: '2.5' }).errors).toEqual({ fast: 'a whole number' });
  });
});
