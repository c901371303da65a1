import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';

export type { Faker };

type FakerClass = new (options: { locale: Faker['rawDefinitions'] }) => Faker;

/**
 * A new English faker, to be seeded. Built from the English locale module's instance, so that
 * only that locale is loaded (the package's root module loads every locale: a few hundred
 * milliseconds more in each new process).
 */
export function newFaker(): Faker {
  const Constructor = english.constructor as FakerClass;
  return new Constructor({ locale: english.rawDefinitions });
}
