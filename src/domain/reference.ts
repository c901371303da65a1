import { join } from 'node:path';
import { PACKAGE_ROOT } from '../env/index.js';

/**
 * Absolute path of the reference trading schema's migrations shipped with the package
 * (`fixtures/migrations`): the tables the domain factories target. Pass it as `migrations`
 * to run the factories without a schema of your own.
 */
export const referenceMigrations: string = join(PACKAGE_ROOT, 'fixtures', 'migrations');
