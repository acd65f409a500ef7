/**
 * A real `nats-server -js` for the scale-out tests (never a mock): a free port on 127.0.0.1 and a
 * temp store dir; restart() stops it and starts it again on the same port and store, as an
 * operator's restart would. .ci/run installs the Debian package when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian installs it in /usr/sbin, which a non-root PATH may lack. */
const BINARY = process.env['NATS_SERVER'] ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class NatsTestServer {
  private proc: ChildProcess | null = null;
  log = '';

  private constructor(readonly port: number, readonly storeDir: string, private readonly extraArgs: string[]) {}

  /** `extraArgs`: e.g. `['--user', 'u', '--pass', 'p']` for a server that requires credentials. */
  static async start(extraArgs: string[] = []): Promise<NatsTestServer> {
    const s = new NatsTestServer(await freePort(), await mkdtemp(join(tmpdir(), 'tickscope-nats-')), extraArgs);
    await s.spawn();
    return s;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  private spawn(): Promise<void> {
    const p = spawn(BINARY, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${this.log}`)), 10_000);
      const onData = (d: Buffer): void => {
        this.log += d.toString();
        if (this.log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      p.stdout!.on('data', onData);
      p.stderr!.on('data', onData);
      p.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${BINARY} (apt-get install nats-server): ${e.message}`));
      });
    });
  }

  /** Stops the server (SIGTERM, then waits for the exit). */
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    this.log = '';
    await this.spawn();
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
