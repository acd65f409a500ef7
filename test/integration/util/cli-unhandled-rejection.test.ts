/**
 * The headless runner and the web host CLI report an unhandled promise rejection and keep
 * running (electron/core/util/process-guard.ts). Real processes: a preloaded module rejects a
 * promise nobody handles when the test sends SIGUSR2, standing in for a missed `.catch` inside a
 * feed. Before the guard, Node ended either process at once with exit 1 (no headless summary,
 * every browser tab of the web host gone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for';

let inject: string;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tickscope-guard-'));
  inject = join(dataDir, 'reject-on-usr2.mjs');
  await writeFile(inject, "process.on('SIGUSR2', () => { Promise.reject(new Error('injected fault inside a feed')); });\n");
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function start(script: string, args: string[]) {
  const p = spawn(process.execPath, ['--import', 'tsx', '--import', inject, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  const out = { stdout: '', stderr: '' };
  p.stdout!.on('data', (d) => (out.stdout += d));
  p.stderr!.on('data', (d) => (out.stderr += d));
  const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
  return { p, out, exited };
}

/** waitFor (condition, what), failing at once, saying so, if the process ended meanwhile. */
function whileRunning(p: ChildProcess, fn: () => boolean, what: string, timeoutMs = 15_000): Promise<true> {
  const alive = () => {
    if (p.exitCode !== null) throw new Error(`the process ended (exit ${p.exitCode}) while waiting for ${what}`);
    return fn();
  };
  return waitFor(alive, what, { timeoutMs, intervalMs: 25 });
}

const trades = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{"type":"trade"')).length;

describe('an unhandled rejection is reported and survived', () => {
  it('headless: reports it with its stack on stderr, keeps streaming trades, exits 0 with the count in the summary', async () => {
    const { p, out, exited } = start('electron/core/headless/cli.ts', ['--emit', 'trades', '--data-dir', dataDir]);
    await whileRunning(p, () => trades(out.stdout) > 0, 'the first trade');
    p.kill('SIGUSR2');
    await whileRunning(p, () => out.stderr.includes('internal error #1'), 'the report');
    expect(out.stderr).toMatch(/headless: internal error #1: a promise rejection nobody handled .*Error: injected fault inside a feed\n\s+at /s);
    const seen = trades(out.stdout);
    await whileRunning(p, () => trades(out.stdout) > seen + 5, 'trades after the rejection');
    p.kill('SIGTERM');
    expect(await exited).toBe(0);
    const summary = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { type: string; unhandledRejections?: number };
    expect(summary).toMatchObject({ type: 'summary', unhandledRejections: 1 });
  });

  it('web host: reports it and still serves the page; Ctrl+C still ends it cleanly', async () => {
    const { p, out, exited } = start('electron/web-host/cli.ts', ['--port', '0', '--data-dir', dataDir]);
    await whileRunning(p, () => /Open (http:\/\/\S+)/.test(out.stdout), 'the URL', 30_000);
    const url = /Open (http:\/\/\S+)/.exec(out.stdout)![1]!;
    p.kill('SIGUSR2');
    await whileRunning(p, () => out.stderr.includes('internal error #1'), 'the report');
    expect(out.stderr).toContain('serve: internal error #1: a promise rejection nobody handled');
    const res = await fetch(url, { redirect: 'manual' });
    expect([200, 302]).toContain(res.status);
    p.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
