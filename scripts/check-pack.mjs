// Packs the package as npm would publish it, unpacks it into a scratch node_modules and
// checks that both the ESM and the CJS entry points load and export the public API.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = process.cwd();
// outside the repository: inside it, Node would resolve 'timescale-testkit' to this checkout
// (a package's self-reference wins over node_modules)
const scratch = mkdtempSync(join(tmpdir(), 'timescale-testkit-pack-'));
const target = join(scratch, 'node_modules', 'timescale-testkit');
mkdirSync(target, { recursive: true });

const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { encoding: 'utf8' }),
);
execFileSync('tar', ['-xzf', join(scratch, packed.filename), '-C', target, '--strip-components=1']);

// the packed package's declared dependencies (and installed peers), linked from this checkout
const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
for (const name of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]) {
  const installed = join(root, 'node_modules', name);
  if (!existsSync(installed)) continue;
  mkdirSync(dirname(join(scratch, 'node_modules', name)), { recursive: true });
  symlinkSync(installed, join(scratch, 'node_modules', name), 'dir');
}

/** Runs `code` in a new Node process in the scratch project, as ESM or CommonJS; its stdout. */
const run = (kind, code) =>
  execFileSync(process.execPath, kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code], {
    cwd: scratch,
    encoding: 'utf8',
  });

const expected = ['startTimescale', 'createTemplate', 'migrate', 'createFactories', 'defineFactory', 'commandMigrator'];
const probe = (kind, code) => {
  const names = JSON.parse(run(kind, code));
  const missing = expected.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new Error(`${kind} entry point lacks ${missing.join(', ')}`);
  console.log(`pack: ${kind} entry point loads (${names.length} exports)`);
};
probe('esm', "const m = await import('timescale-testkit'); console.log(JSON.stringify(Object.keys(m)))");
probe('cjs', "console.log(JSON.stringify(Object.keys(require('timescale-testkit'))))");

// subpaths: the jest helpers in both formats, the global setups' default exports
const subpath = (kind, specifier, name, type = 'function') => {
  const code =
    kind === 'esm'
      ? `const m = await import('${specifier}'); console.log(typeof m.${name})`
      : `console.log(typeof require('${specifier}').${name})`;
  if (run(kind, code).trim() !== type) throw new Error(`${kind} ${specifier} lacks ${name}`);
  console.log(`pack: ${kind} ${specifier} loads`);
};
for (const kind of ['esm', 'cjs']) {
  subpath(kind, 'timescale-testkit/domain', 'orderFactory', 'object');
  subpath(kind, 'timescale-testkit/jest', 'useTestDatabase');
  subpath(kind, 'timescale-testkit/jest/environment', 'default');
  subpath(kind, 'timescale-testkit/node-test', 'useTestDatabase');
  subpath(kind, 'timescale-testkit/node-test/global-setup', 'globalSetup');
  subpath(kind, 'timescale-testkit/jest/global-setup', 'default');
  subpath(kind, 'timescale-testkit/jest/global-teardown', 'default');
  subpath(kind, 'timescale-testkit/vitest/global-setup', 'default');
}
// the reference schema is shipped and found by path from both formats
for (const kind of ['esm', 'cjs']) {
  const code =
    kind === 'esm'
      ? "const { referenceMigrations: dir } = await import('timescale-testkit/domain'); const fs = await import('node:fs'); console.log(JSON.stringify([dir, fs.readdirSync(dir)]))"
      : "const dir = require('timescale-testkit/domain').referenceMigrations; console.log(JSON.stringify([dir, require('node:fs').readdirSync(dir)]))";
  const [dir, entries] = JSON.parse(run(kind, code));
  if (!dir.startsWith(target) || !entries.includes('001_extensions.sql')) {
    throw new Error(`${kind} referenceMigrations points at ${dir} (${entries.join(', ')})`);
  }
  console.log(`pack: ${kind} referenceMigrations has ${entries.length} migrations`);
}

// jest finds the preset at the package root: preset: 'timescale-testkit'
const preset = JSON.parse(run('cjs', "console.log(JSON.stringify(require('timescale-testkit/jest-preset')))"));
for (const key of ['globalSetup', 'globalTeardown', 'testEnvironment']) {
  if (!preset[key]?.startsWith(target) || !existsSync(preset[key]))
    throw new Error(`jest-preset ${key}: ${preset[key]}`);
}
console.log('pack: jest-preset points at the global setup, teardown and environment');

// test workers load the runner helpers in every test file: they must not load testcontainers or
// faker (workers never start containers; factories load on first use)
for (const [kind, specifier] of [
  ['esm', 'timescale-testkit/vitest'],
  ['esm', 'timescale-testkit/jest'],
  ['cjs', 'timescale-testkit/jest'],
  ['esm', 'timescale-testkit/node-test'],
]) {
  const load =
    kind === 'esm'
      ? `await import('${specifier}').catch(() => undefined)` // vitest's test() refuses to run outside vitest
      : `(await import('node:module')).createRequire(process.cwd() + '/')('${specifier}')`;
  const code = `import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });
    ${load};
    console.log(JSON.stringify(seen));`;
  const seen = JSON.parse(run('esm', code)); // the hooks are registered from ESM; `load` requires for cjs
  const heavy = seen.filter((url) => /\/(testcontainers|@testcontainers|@faker-js)\//.test(url));
  if (heavy.length > 0) throw new Error(`${kind} ${specifier} loads ${heavy.join(', ')}`);
  console.log(`pack: ${kind} ${specifier} loads ${seen.length} modules, neither testcontainers nor faker`);
}

// the bin runs from the tarball
const binPath = join(target, manifest.bin['timescale-testkit']);
const help = execFileSync(process.execPath, [binPath, '--help'], { cwd: scratch, encoding: 'utf8' });
if (!help.includes('up')) throw new Error(`timescale-testkit --help printed: ${help}`);
console.log('pack: bin timescale-testkit --help runs');

// only the product ships: build output, the reference schema, the local image recipe, docs
const allowed = [
  /^dist\//,
  /^fixtures\/migrations\/[^/]+\.sql$/,
  /^docker\/local-image\//,
  /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|jest-preset\.cjs)$/,
];
const stray = packed.files.map((f) => f.path).filter((path) => !allowed.some((re) => re.test(path)));
if (stray.length > 0) throw new Error(`the tarball ships files outside the whitelist: ${stray.join(', ')}`);

console.log(`pack: ${packed.filename} ${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} kB`);
rmSync(scratch, { recursive: true, force: true });
