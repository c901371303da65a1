import { sharedWorkerCase } from './case.js';

sharedWorkerCase('file-5');
