import { jsonCopy } from './json-copy';

const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('jsonCopy', () => {
  it('gives what a JSON round trip gives, as a new object', () => {
    const samples: unknown[] = [
      { a: 1, b: 'x', c: true, d: null, e: [1, 'two', { f: 3 }], g: { h: { i: [] } } },
      {
        undef: undefined,
        fn: () => 1,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        negZero: -0,
        list: [undefined, () => 1, Number.NaN],
      },
      { 2: 'b', 1: 'a', z: 'z', y: 'y' },
      { date: new Date(0), nested: { at: new Date(1) } },
      { withToJson: { toJSON: () => 'custom' } },
      Object.assign(Object.create(null) as object, { bare: 1 }),
      [1, [2, [3, [4]]]],
    ];
    for (const sample of samples) {
      const copy = jsonCopy(sample);
      expect(copy).toStrictEqual(viaJson(sample));
      expect(Object.keys(copy as object)).toEqual(Object.keys(viaJson(sample) as object));
      expect(copy).not.toBe(sample);
    }
  });

  it('copies an own "__proto__" key as an own key, like JSON.parse', () => {
    const input = JSON.parse('{"meta":{"__proto__":{"polluted":true},"x":1}}') as { meta: Record<string, unknown> };
    const copy = jsonCopy(input);
    expect(copy).toStrictEqual(viaJson(input));
    expect(Object.getPrototypeOf(copy.meta)).toBe(Object.prototype);
    expect(Object.keys(copy.meta)).toEqual(['__proto__', 'x']);
  });

  it('throws where JSON throws', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => jsonCopy(cyclic)).toThrow(TypeError);
    expect(() => jsonCopy({ big: BigInt(1) })).toThrow(TypeError);
  });

  it('shares nothing with its input', () => {
    const input = { payload: { list: [{ price: '1' }] } };
    const copy = jsonCopy(input);
    const first = input.payload.list[0];
    if (first) first.price = '2';
    expect(copy.payload.list[0]?.price).toBe('1');
  });
});
