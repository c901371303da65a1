#!/usr/bin/env node
import { main } from './cli/index.js';

// main() reports its own failures (error: + fix:) and never rejects. Exit explicitly: Docker's
// and pg's keep-alive sockets must not hold the process open.
void main(process.argv.slice(2)).then((code) => process.exit(code));
