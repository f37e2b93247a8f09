// Bootstrap for the import preview worker: registers tsx in this thread (see ../export/worker.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./importWorker.ts');
