import { parallelCase } from './parallel-case.js';

parallelCase(1);
