// Bootstrap of the NDJSON worker thread: a worker does not inherit the tsx loader `npm run
// headless` runs under, so it registers tsx in its own thread, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./ndjson-worker.ts', import.meta.url).href);
