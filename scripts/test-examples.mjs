// Packs the package as npm would publish it and runs the example projects on the tarball:
// examples/vitest (ESM, TypeScript: tsc --noEmit, then vitest), examples/jest (CommonJS) and
// examples/node-test (ESM, node --test with its global setup: Node 24 and later).
// Each example installs the tarball like a user's project would (npm install, no lockfile).
//
//   npm run build && node scripts/test-examples.mjs [vitest|jest|node-test ...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const packDir = join(root, '.pack');
const examples = process.argv.length > 2 ? process.argv.slice(2) : ['vitest', 'jest', 'node-test'];
if (examples.includes('node-test') && Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`examples: node-test needs Node 24 or later (--test-global-setup); this is ${process.version}`);
  process.exit(1);
}
const step = (label, fn) => {
  const t0 = performance.now();
  const result = fn();
  console.log(`examples: ${label} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
};

rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir);
const [packed] = step('packed', () =>
  JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { encoding: 'utf8' })),
);
renameSync(join(packDir, packed.filename), join(packDir, 'timescale-testkit.tgz'));
console.log(
  `examples: tarball ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ` +
    `${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files`,
);

for (const name of examples) {
  const dir = join(root, 'examples', name);
  const run = (args) => execFileSync('npm', args, { cwd: dir, stdio: 'inherit' });
  rmSync(join(dir, 'node_modules', 'timescale-testkit'), { recursive: true, force: true });
  step(`${name}: npm install`, () => run(['install', '--no-package-lock', '--no-audit', '--no-fund', '--silent']));
  step(`${name}: npm test passed`, () => run(['test']));
}
