/**
 * The package's root directory (the one holding package.json), found from a module's own URL.
 * The same module runs from its TypeScript source (`helpers/…`) and compiled (`dist/helpers/…`),
 * so a fixed number of `..` would be wrong for one of them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
  return dir;
}
