import { soakTests } from './work.js';

// two files, so that both workers of a run write at once
soakTests();
