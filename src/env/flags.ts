/** An environment flag: true for 1/true/yes/on, false for anything else, undefined when unset. */
export function envFlag(name: string): boolean | undefined {
  const value = process.env[name];
  return value === undefined ? undefined : /^(1|true|yes|on)$/i.test(value.trim());
}
