/**
 * `web-host-main.ts --config FILE --data-dir DIR`: what `npm run serve` runs (electron/web-host/
 * cli.ts: startCoreApp + startWebHost, same flags), minus the renderer build check, plus two lines
 * for the benchmark: `{"type":"listening",...}` once the host is up, and on SIGTERM, after the
 * clean stop, `{"type":"summary","feeds":[...]}` (the pipeline's feed counters, as the headless
 * runner's summary has them). The static files served do not matter here: the client is a
 * WebSocket client (clients/web-host.ts), so the latency probe page stands in for the renderer.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCoreApp } from '../../electron/core/app';
import { startWebHost } from '../../electron/web-host/server';

const stopRequested = new Promise<void>((r) => {
  process.once('SIGINT', r);
  process.once('SIGTERM', r);
});
const { values } = parseArgs({ options: { config: { type: 'string' }, 'data-dir': { type: 'string' } } });
if (!values.config || !values['data-dir']) {
  process.stderr.write('usage: web-host-main.ts --config FILE --data-dir DIR\n');
  process.exit(2);
}
const app = await startCoreApp({ dataDir: values['data-dir'], configFile: values.config });
const host = await startWebHost({ api: app.api, rendererDir: fileURLToPath(new URL('../latency-page', import.meta.url)), port: 0 });
process.stdout.write(`${JSON.stringify({ type: 'listening', port: host.port, token: host.token })}\n`);
await stopRequested;
await host.close();
await app.stop();
process.stdout.write(`${JSON.stringify({ type: 'summary', feeds: app.pipeline.summary() })}\n`);
process.exit(0);
