import { isAppError } from '@barfinex/service-kit';
import { buildSearchSpace, gridSize, neighbours, paramsAt } from './space';

const SCHEMA = {
  type: 'object',
  properties: {
    fast: { type: 'integer', minimum: 2, maximum: Number.MAX_SAFE_INTEGER, default: 9 },
    stop: { type: 'number', exclusiveMinimum: 0, default: 2 },
    mode: { type: 'string', enum: ['close', 'hl2'], default: 'close' },
    trail: { type: 'boolean', default: false },
    label: { type: 'string', default: 'x' },
  },
};

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (isAppError(err)) return ((err.details as { issues: { path: string }[] }).issues ?? []).map((i) => i.path);
    throw err;
  }
  return [];
}

describe('search space from a params JSON Schema', () => {
  it('searches every parameter around its default without a space: numbers, choices and booleans', () => {
    const space = buildSearchSpace(SCHEMA, undefined);
    const byName = Object.fromEntries(space.dimensions.map((d) => [d.name, d.values]));
    expect(byName['fast']).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(byName['stop']?.[0]).toBe(1);
    expect(byName['stop']?.at(-1)).toBe(4);
    expect(byName['mode']).toEqual(['close', 'hl2']);
    expect(byName['trail']).toEqual([false, true]);
    expect(byName['label']).toBeUndefined();
  });

  it('narrows, lists and fixes what the user names; the rest keep their defaults', () => {
    const space = buildSearchSpace(SCHEMA, {
      fast: { min: 4, max: 10, step: 3 },
      mode: { values: ['hl2'] },
      trail: { fixed: true },
      stop: { values: [1, 1.5] },
    });
    expect(space.dimensions.map((d) => [d.name, d.values])).toEqual([
      ['fast', [4, 7, 10]],
      ['stop', [1, 1.5]],
    ]);
    expect(space.fixed).toEqual({ mode: 'hl2', trail: true });
    expect(gridSize(space)).toBe(6);
    expect(paramsAt(space, [2, 1])).toEqual({ mode: 'hl2', trail: true, fast: 10, stop: 1.5 });
    expect(neighbours(space, [0, 0])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('answers 400 naming each field it refuses', () => {
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { fast: { min: 1, max: 10 } }))).toEqual(['space.fast.min']);
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { fast: { min: 3, max: 10, step: 0.5 } }))).toEqual([
      'space.fast.step',
    ]);
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { stop: { min: 0, max: 1, step: 0.1 } }))).toEqual([
      'space.stop.min',
    ]);
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { slow: { min: 3, max: 10 } }))).toEqual(['space.slow']);
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { fast: { min: 2, max: 100_000, step: 1 } }))).toEqual([
      'space.fast.step',
    ]);
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { label: { min: 1, max: 2 } }))).toEqual(['space.label']);
    expect(issuesOf(() => buildSearchSpace(SCHEMA, { fast: { fixed: 5 } }))).toEqual(['space']);
  });
});
