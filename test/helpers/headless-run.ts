/**
 * Runs the headless CLI as a real process (node with tsx as a loader, not the tsx wrapper, which
 * can turn a clean SIGTERM exit into 143) and writes --config files into a fresh temp dir.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function runHeadless(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'electron/core/headless/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function writeHeadlessConfig(obj: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tickscope-headless-'));
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(obj));
  return file;
}
