// Bootstrap for the export worker: registers tsx in this thread (a Worker does not inherit the
// parent's loader hooks under vitest, and `--import tsx` is not passed to workers by default),
// then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
