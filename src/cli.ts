#!/usr/bin/env node
import { main } from './cli/index.js';
import { TimescaleTestkitError } from './errors.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof TimescaleTestkitError ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  },
);
