/**
 * The app's own processes as a user starts them, for sections (c) and (d) of the throughput
 * table: `tsx --max-semi-space-size=64 <entry>` (what `npm run headless` / `npm run serve` run),
 * with a fresh temp --data-dir (SQLite bar store, instrument cache, backfill on) and a --config
 * naming one feed against the replay. What the child prints on stdout goes through a pipe or a
 * tmpfs file (ChildOptions.stdout) and is looked at here (a marker search, the last lines kept).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeedSummary } from '../../electron/core/pipeline/pipeline';
import type { ReplayProcess } from '../replay/replay-process';
import type { Scenario } from '../replay/scenario';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
/** The app's core V8 flags (package.json scripts serve/headless, Electron's js-flags). */
export const APP_NODE_FLAGS = ['--max-semi-space-size=64'];
/** USER_HZ: Linux reports CPU times in 1/100 s. */
const TICKS_PER_SECOND = 100;
const PATH = { binance: '/stream', bybit: '/v5/public/spot' } as const;

export interface ChildOptions {
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=DIR'] (bench/profile.ts). */
  nodeFlags?: string[];
  /**
   * Where stdout goes: 'pipe' (default), read and thrown away here, or 'file', a file in a tmpfs
   * (/dev/shm) that the runner writes to without ever waiting for a reader, read here only at
   * its end (polled). A pipe blocks the writer whenever this process is slow to read (a busy
   * machine); a tmpfs file does not. 'null': /dev/null, nothing read (a run that needs its
   * summary then asks for --summary-file).
   */
  stdout?: 'pipe' | 'file' | 'null';
}

/**
 * How often a stdout file is looked at, and how much of what is new is read: all of it while a
 * marker wanted from the start (the first trade) is pending, else only its last 64 KB (what is
 * needed for the last trade's marker and the final lines), so the bench's reading stays small
 * next to the runner's writing.
 */
const POLL_MS = 5;
const TAIL_BYTES = 64 * 1024;

/** A temp data dir holding a config with one feed on the replay; remove() deletes it all. */
export function tempAppDir(replay: ReplayProcess, s: Scenario): { dir: string; dataDir: string; config: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tickscope-bench-'));
  const config = join(dir, 'config.json');
  const feed = {
    id: `bench-${s.venue}`,
    exchange: s.venue,
    market: 'spot',
    symbols: ['BTC-USDT'],
    channels: ['trades'],
    url: replay.wsUrl(PATH[s.venue]),
    restUrl: replay.httpUrl,
  };
  writeFileSync(config, `${JSON.stringify({ feeds: [feed] }, null, 2)}\n`);
  return { dir, dataDir: join(dir, 'data'), config, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Children still running: killed if the bench exits first (an error, Ctrl+C). */
const live = new Set<AppChild>();
process.once('exit', () => {
  for (const c of live) c.kill();
});

export class AppChild {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private stderr = '';
  /** The last bytes of stdout (its final lines: the headless summary, a web host's exit line). */
  private tailBufs: Buffer[] = [];
  private tailBytes = 0;
  private lineWaiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  /** Byte strings looked for in stdout, each resolved at the first chunk holding it. */
  private markers: { bytes: Buffer; hit: () => void; fromStart: boolean }[] = [];
  private carry: Buffer = Buffer.alloc(0);
  private appPid: number | null = null;

  constructor(entry: string, args: string[], o: ChildOptions = {}) {
    const file = o.stdout === 'file' ? join(mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tickscope-out-')), 'stdout.ndjson') : null;
    const fd = file !== null ? openSync(file, 'w') : o.stdout === 'null' ? openSync('/dev/null', 'w') : null;
    this.child = spawn(process.execPath, [TSX_CLI, ...APP_NODE_FLAGS, ...(o.nodeFlags ?? []), join(ROOT, entry), ...args], {
      cwd: ROOT,
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    });
    if (fd !== null) closeSync(fd);
    live.add(this);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        live.delete(this);
        resolve(code);
      }),
    );
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d;
    });
    if (file !== null) this.follow(file);
    else if (fd === null) this.child.stdout!.on('data', (d: Buffer) => this.onStdout(d));
  }

  /** Reads what the child appended to its stdout file, every POLL_MS and once more at exit. */
  private follow(file: string): void {
    const fd = openSync(file, 'r');
    let scanned = 0;
    const poll = () => {
      const size = fstatSync(fd).size;
      if (size <= scanned) return;
      if (size - scanned > TAIL_BYTES && !this.markers.some((m) => m.fromStart)) {
        scanned = size - TAIL_BYTES;
        this.carry = Buffer.alloc(0);
      }
      const d = Buffer.allocUnsafe(size - scanned);
      const n = readSync(fd, d, 0, d.length, scanned);
      scanned += n;
      this.onStdout(d.subarray(0, n));
    };
    const timer = setInterval(poll, POLL_MS);
    this.child.once('exit', () => {
      clearInterval(timer);
      poll();
      closeSync(fd);
      rmSync(dirname(file), { recursive: true, force: true });
    });
  }

  /**
   * Resolves at the first stdout chunk holding `marker` (e.g. the last trade's id). A plain byte
   * search in the piped data: the consumer's cost stays near that of a null sink. `fromStart`: the
   * marker's first appearance matters (a file sink then reads everything until it is found).
   */
  waitForMarker(marker: string, o: { fromStart?: boolean } = {}): Promise<void> {
    return new Promise((resolve) => this.markers.push({ bytes: Buffer.from(marker), hit: resolve, fromStart: o.fromStart === true }));
  }

  /**
   * CPU time (user + system, ms, 10 ms ticks) the app's own process has used so far: the node
   * process tsx starts (this child is tsx's wrapper, which only relays signals). Null where /proc
   * cannot say. Differences of two readings give the CPU a stretch of the stream cost the app.
   */
  cpuMs(): number | null {
    try {
      if (this.appPid === null) {
        const pid = this.child.pid!;
        const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
        if (kids.length !== 1) return null;
        this.appPid = Number(kids[0]);
      }
      const stat = readFileSync(`/proc/${this.appPid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      return null;
    }
  }

  /** Resolves with the first complete stdout line (from now on) that `match`es. */
  waitForLine(match: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.lineWaiters.push({ match, resolve }));
  }

  /** SIGTERM (the app's clean stop), then the last stdout lines once it exited. */
  async stop(timeoutMs = 20_000): Promise<{ code: number | null; lines: string[] }> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return { code, lines: this.tailText().split('\n').filter((l) => l.length > 0) };
  }

  /** SIGKILL to the app's process and tsx's wrapper (which cannot pass a SIGKILL on). */
  kill(): void {
    if (this.child.exitCode !== null) return;
    this.cpuMs(); // finds the app's pid if not known yet
    if (this.appPid !== null) {
      try {
        process.kill(this.appPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.child.kill('SIGKILL');
  }

  errors(): string {
    return this.stderr.trim();
  }

  private onStdout(d: Buffer): void {
    if (this.markers.length > 0) {
      // Across a chunk boundary too: the previous chunk's last bytes joined with this one's first.
      const longest = Math.max(...this.markers.map((m) => m.bytes.length));
      const seam = this.carry.length > 0 ? Buffer.concat([this.carry, d.subarray(0, longest)]) : null;
      for (const m of [...this.markers]) {
        if (d.indexOf(m.bytes) >= 0 || (seam !== null && seam.indexOf(m.bytes) >= 0)) {
          this.markers.splice(this.markers.indexOf(m), 1);
          m.hit();
        }
      }
      this.carry = Buffer.from(d.subarray(Math.max(0, d.length - longest)));
    }
    // The raw bytes of the last 64 KB or more are kept; text is decoded only for a line waiter
    // (start-up lines, little data) and at the end.
    this.tailBufs.push(d);
    this.tailBytes += d.length;
    while (this.tailBufs.length > 1 && this.tailBytes - this.tailBufs[0]!.length >= 65_536) this.tailBytes -= this.tailBufs.shift()!.length;
    if (this.lineWaiters.length > 0) {
      const lines = this.tailText().split('\n').slice(0, -1);
      for (const w of [...this.lineWaiters]) {
        const line = lines.find(w.match);
        if (line !== undefined) {
          this.lineWaiters.splice(this.lineWaiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  }

  private tailText(): string {
    return Buffer.concat(this.tailBufs).toString('utf8');
  }
}

/** Trades per second from a feed summary's first and last receive time (the run's own clock). */
export function summaryRate(f: FeedSummary): { trades: number; ms: number } | null {
  if (f.firstReceivedAt === null || f.lastReceivedAt === null || f.lastReceivedAt <= f.firstReceivedAt) return null;
  return { trades: f.trades, ms: f.lastReceivedAt - f.firstReceivedAt };
}
