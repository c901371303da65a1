// Drives vitest in watch mode through its Node API: a first run, then a re-run of the same
// files, as when a developer saves a file. Prints the module states of both runs as JSON.
import { createVitest } from 'vitest/node';

const files = ['test/vitest/isolation-modes', 'test/vitest/parallel-1'];
const vitest = await createVitest('test', { watch: true, reporters: ['dot'], coverage: { enabled: false } });
const states = (result) => result.testModules.map((module) => module.state());
const first = await vitest.start(files);
const second = await vitest.rerunTestSpecifications(await vitest.globTestSpecifications(files));
await vitest.close();
console.log(
  JSON.stringify({
    first: states(first),
    second: states(second),
    errors: first.unhandledErrors.length + second.unhandledErrors.length,
  }),
);
