/**
 * `npm run serve -- [--port N] [--config FILE] [--data-dir DIR]`: the app in a browser.
 * Prints the URL (with its per-run token) to open; Ctrl+C stops it cleanly.
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../shared/config';
import { startCoreApp } from '../core/app';
import { startWebHost } from './server';
import { guardUnhandledRejections } from '../core/util/process-guard';

// A rejection a bug left unhandled is reported on stderr (numbered, with its stack) and the host
// keeps serving every feed and browser instead of exiting (electron/core/util/process-guard.ts).
guardUnhandledRejections((text) => process.stderr.write(`serve: ${text}\n`));

const here = dirname(fileURLToPath(import.meta.url));

function defaultDataDir(): string {
  // The same folder Electron uses for userData on Linux; the browser and desktop app share settings.
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'tickscope');
}

async function main(): Promise<number> {
  // Listen for the stop signals first, so a SIGTERM during start-up still ends cleanly (exit 0).
  const stopRequested = new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  const { values } = parseArgs({
    options: { port: { type: 'string' }, config: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`serve: --port: "${values.port}" is not a port number\n`);
    return 2;
  }
  const rendererDir = resolve(here, '../../out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write('serve: the renderer is not built: run `npm run build` first\n');
    return 2;
  }
  let app;
  try {
    app = await startCoreApp({ dataDir: values['data-dir'] ?? defaultDataDir(), configFile: values.config ?? null });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`serve: bad config: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const host = await startWebHost({ api: app.api, rendererDir, port });
  process.stdout.write(`Tickscope is running. Open ${host.url}\n`);
  await stopRequested;
  await host.close();
  await app.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`serve: failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
