#!/usr/bin/env node
import { main } from './cli/index.js';

// exit explicitly: Docker's and pg's keep-alive sockets must not hold the process open
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write('fix: run again with DEBUG=timescale-testkit for details\n');
    process.exit(1);
  },
);
