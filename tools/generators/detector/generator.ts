import * as path from 'node:path';
import { generateFiles, joinPathFragments, names } from '@nx/devkit';
import type { Tree } from '@nx/devkit';

export interface DetectorGeneratorSchema {
  name: string;
  directory?: string;
  timeframe?: string;
}

const KIT_ROOT = 'libs/detector-kit';
/** Where the user's own detectors live, one Nx project each. */
const USER_DETECTORS_ROOT = 'detectors';

/**
 * Inside the kit (its examples) a detector imports the kit's source directly; anywhere else it
 * imports the package like any user would. Either way it runs without a build under
 * `npx tsx --conditions=development` (the workspace packages resolve to their source only then).
 */
function kitImportFrom(directory: string): string {
  const inside = !path.posix.relative(KIT_ROOT, directory).startsWith('..');
  if (!inside) return '@barfinex/detector-kit';
  const rel = path.posix.relative(directory, `${KIT_ROOT}/src`);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

// No formatFiles: prettier is not installed here and the templates are already formatted.
export function detectorGenerator(tree: Tree, options: DetectorGeneratorSchema): void {
  const n = names(options.name);
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(n.fileName)) {
    throw new Error(`Detector name must be kebab-case (e.g. my-breakout), got ${JSON.stringify(options.name)}`);
  }
  // Without a directory the detector is its own Nx project under detectors/<name>/ (its own test
  // target), where `npm start`, backtests and optimisations find it with no configuration.
  const project = options.directory === undefined;
  const root = `${USER_DETECTORS_ROOT}/${n.fileName}`;
  const directory = project ? `${root}/src` : (options.directory as string).replace(/\/+$/, '');
  const target = joinPathFragments(directory, `${n.fileName}.ts`);
  if (tree.exists(target)) throw new Error(`${target} already exists`);
  const values = {
    ...n,
    timeframe: options.timeframe ?? 'min1',
    kitImport: kitImportFrom(directory),
    runPath: target,
    tmpl: '',
  };
  generateFiles(tree, path.join(__dirname, 'files'), directory, values);
  if (project) generateFiles(tree, path.join(__dirname, 'project-files'), root, values);
}

export default detectorGenerator;
