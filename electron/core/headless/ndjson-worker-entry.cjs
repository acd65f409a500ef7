// Bootstrap of the NDJSON worker thread: a worker does not inherit the tsx loader `npm run
// headless` runs under, so it registers tsx's require hook in its own thread (synchronous; the
// ESM register() would start a loader thread of its own, ~300 ms of CPU measured at start-up,
// during the first second of the stream), then loads the TypeScript worker.
require('tsx/cjs/api').register();
require('./ndjson-worker.ts');
