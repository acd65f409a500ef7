/**
 * A web host in a process of its own, for tests that must show the process survives what a
 * client sends: `tsx host-process.ts <dataDir> <rendererDir>`. Prints `Open <url>` once listening
 * and stops cleanly on SIGTERM (exit 0), the way `npm run serve` does.
 */
import { startCoreApp } from '../../../electron/core/app';
import { startWebHost } from '../../../electron/web-host/server';

async function main(): Promise<void> {
  const [dataDir, rendererDir] = process.argv.slice(2);
  if (!dataDir || !rendererDir) throw new Error('usage: host-process.ts <dataDir> <rendererDir>');
  const stop = new Promise<void>((r) => process.once('SIGTERM', r));
  const app = await startCoreApp({ dataDir });
  const host = await startWebHost({ api: app.api, rendererDir });
  process.stdout.write(`Open ${host.url}\n`);
  await stop;
  await host.close();
  await app.stop();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`host-process: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
