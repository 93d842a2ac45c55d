import { parseCli } from './args';
import { parseSpace } from './optimize';

describe('barfinex optimize arguments', () => {
  it('reads ranges, choices and fixed values into the request space', () => {
    expect(parseSpace('fast=3:20:1, slow=20:60, mode=a|b|3, flag=true, name=x')).toEqual({
      fast: { min: 3, max: 20, step: 1 },
      slow: { min: 20, max: 60 },
      mode: { values: ['a', 'b', 3] },
      flag: { fixed: true },
      name: { fixed: 'x' },
    });
    expect(() => parseSpace('fast')).toThrow(/name=min:max/);
    expect(() => parseSpace('fast=a:b')).toThrow(/numbers/);
  });

  it('keeps the optimize flags, including --attach', () => {
    const cli = parseCli(['optimize', '--attach', 'abc', '--token', 't', '--anchored', '--min-trades', '5'], {});
    expect(cli.optimize).toEqual({ attach: 'abc', anchored: true, 'min-trades': '5' });
  });
});
