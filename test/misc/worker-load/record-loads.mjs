// Preloaded into the child run's workers (execArgv): appends every module a worker loads to the
// file named by WORKER_LOAD_LOG, one URL per line.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.WORKER_LOAD_LOG;
if (log) {
  registerHooks({
    load(url, context, next) {
      appendFileSync(log, `${url}\n`);
      return next(url, context);
    },
  });
}
