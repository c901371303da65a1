import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LABEL_KIT = 'org.timescale-testkit';
export const LABEL_VERSION = 'org.timescale-testkit.version';
export const LABEL_RUN_ID = 'org.timescale-testkit.run-id';
export const LABEL_CONFIG_HASH = 'org.timescale-testkit.config-hash';
export const LABEL_REUSE = 'org.timescale-testkit.reuse';
export const LABEL_CREATED_AT = 'org.timescale-testkit.created-at';

function kitVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg && typeof pkg === 'object' && 'name' in pkg && pkg.name === 'timescale-testkit' && 'version' in pkg) {
        return String(pkg.version);
      }
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const KIT_VERSION = kitVersion();
