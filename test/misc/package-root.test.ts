import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceMigrations } from '../../src/domain/index.js';
import { KIT_VERSION, PACKAGE_ROOT } from '../../src/env/package-root.js';

describe('package root', () => {
  it('finds the package, its version and the reference schema shipped with it', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(KIT_VERSION).toBe(pkg.version);
    expect(referenceMigrations).toBe(join(PACKAGE_ROOT, 'fixtures', 'migrations'));
    expect(readdirSync(referenceMigrations).filter((f) => f.endsWith('.sql'))).toEqual([
      '001_extensions.sql',
      '002_trading.sql',
      '003_agents.sql',
      '004_timeseries.sql',
    ]);
  });
});
