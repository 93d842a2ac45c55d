// The benchmarks measure the platform through its public entry points only (a package's main
// entry or an export it declares, such as @barfinex/provider/bench), never a file inside another
// project, so a refactor inside an app cannot silently break or change what they measure.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts'));
const specifiers = (text: string) => [...text.matchAll(/(?:from\s+|import\()\s*'([^']+)'/g)].map((m) => m[1] ?? '');

describe('tools/bench imports', () => {
  it.each(files)('%s reaches other projects only through their package entry points', (file) => {
    const leaving = specifiers(readFileSync(join(__dirname, file), 'utf8')).filter(
      (s) => s.startsWith('../') || /^@barfinex\/[^/]+\/src(\/|$)/.test(s),
    );
    expect(leaving).toEqual([]);
  });
});
