import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files that ship beside the code live (templates/, emails/static/, samples/). The same
 * module runs from src/ under tsx and from dist/src/ after `npm run build`, one folder deeper, so
 * a fixed `../../templates` would be right in one and wrong in the other. The package root is the
 * nearest folder above this file that holds package.json; dist/ has none.
 */
function findPackageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`topic-digest: no package.json above ${from}; the install is incomplete`);
    dir = parent;
  }
  return dir;
}

/** The folder that holds package.json, templates/, emails/static/ and samples/. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** An absolute path to a file or folder shipped in the package, e.g. `packagePath('templates', 'pages')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
