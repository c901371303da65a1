import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: unknown;
  version?: unknown;
}

function findPackage(): { root: string; version: string } | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  // src/<folder>/file.ts in the repository, dist/<chunk>.js or dist/<entry>/file.js when installed
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (pkg.name === 'timescale-testkit') return { root: dir, version: String(pkg.version) };
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return undefined;
}

const found = findPackage();

/** The installed package's directory (its package.json's folder). */
export const PACKAGE_ROOT: string = found?.root ?? process.cwd();

/** The installed package's version, `0.0.0` if its package.json cannot be read. */
export const KIT_VERSION: string = found?.version ?? '0.0.0';
