import { sharedWorkerCase } from './case.js';

sharedWorkerCase('file-6');
