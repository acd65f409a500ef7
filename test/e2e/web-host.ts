/** Starts `npm run serve`'s entry point (the built renderer must exist) and returns its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TSX_CLI = 'node_modules/tsx/dist/cli.mjs';

export interface RunningHost {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

export async function startHost(opts: { dataDir?: string; config?: string } = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tickscope-e2e-'));
  const args = [TSX_CLI, 'electron/web-host/cli.ts', '--data-dir', dataDir];
  if (opts.config) args.push('--config', opts.config);
  // tsx itself (not `npx tsx`): npx does not forward SIGTERM, which left the host running and
  // made stop() report a signal instead of the host's exit code.
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 30_000);
    const check = () => {
      // The whole line: a chunk may end mid-token.
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => reject(new Error(`web host exited (${code}):\n${out}`)));
  });
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}
