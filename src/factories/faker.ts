import { createRequire } from 'node:module';
import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { faker as engine } from '@faker-js/faker/locale/base';
import { BUILD_FORMAT } from '../env/index.js';

export type { Faker };

type FakerClass = new (options: { locale: LocaleDefinition }) => Faker;

/**
 * The English locale merged over the base one, as `@faker-js/faker/locale/en` builds it, loaded
 * on first read: most factory columns (numbers, ids, choices from a list) read no locale data,
 * and the English data is most of faker's code (about 20 ms to load in each new test worker).
 */
function lazyEnglish(): LocaleDefinition {
  let loaded: LocaleDefinition | undefined;
  const english = (): LocaleDefinition => {
    if (!loaded) {
      // the CommonJS build carries faker in it (jest's runtime cannot require() an ES module): a
      // require the bundler resolves, evaluated at this first call; else Node's own require()
      const module = (
        BUILD_FORMAT === 'cjs'
          ? require('@faker-js/faker/locale/en')
          : createRequire(import.meta.url)('@faker-js/faker/locale/en')
      ) as { faker: Faker };
      loaded = module.faker.rawDefinitions;
    }
    return loaded;
  };
  return new Proxy({} as LocaleDefinition, {
    // faker reads its locale proxy's marker symbol: nothing of the locale's own
    get: (_, key) => (typeof key === 'symbol' ? undefined : Reflect.get(english(), key)),
    has: (_, key) => Reflect.has(english(), key),
    ownKeys: () => Reflect.ownKeys(english()),
    getOwnPropertyDescriptor: (_, key) => {
      const found = Reflect.getOwnPropertyDescriptor(english(), key);
      return found && { ...found, configurable: true };
    },
  });
}

/** Every faker's locale: one proxy, so that the English data loads once per process. */
const ENGLISH = lazyEnglish();

/** Fakers handed back by contexts that are done (a test's factories, after the test). */
const spares: Faker[] = [];
/** Spares kept at most: a context uses one per factory, and a process runs its tests in turn. */
const MAX_SPARES = 32;

/**
 * A new English faker, to be seeded. Only faker's engine and base locale load with the kit; the
 * English data loads the first time a faker reads locale data (words, names, addresses).
 */
export function newFaker(): Faker {
  return new (engine.constructor as FakerClass)({ locale: ENGLISH });
}

/**
 * A faker for a new owner, to be seeded: one a finished owner handed back when there is one (a
 * new one costs about a millisecond in a new process, its modules built and bound), else new.
 */
export function takeFaker(): Faker {
  return spares.pop() ?? newFaker();
}

/** Hands fakers back for later owners, which seed them anew; the caller must not use them again. */
export function giveBackFakers(fakers: Iterable<Faker>): void {
  for (const faker of fakers) if (spares.length < MAX_SPARES) spares.push(faker);
}
