// Bootstrap for the progress report worker: registers tsx in this thread (see ../worker.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./reportWorker.ts');
