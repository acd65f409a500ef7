/**
 * Parent side of the replay exchange: forks server.ts in its own Node process and drives it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReplayDone, Scenario } from './scenario';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

type Message = { type: string; [k: string]: unknown };

export class ReplayProcess {
  private waiters: { type: string; resolve: (m: Message) => void }[] = [];
  readonly log: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (raw) => this.receive(raw as Message));
  }

  static async start(): Promise<ReplayProcess> {
    const child = fork(SERVER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('replay server did not start within 20 s')), 20_000);
      child.once('message', (m) => {
        clearTimeout(timer);
        resolve((m as { port: number }).port);
      });
      child.once('exit', (code) => reject(new Error(`replay server exited (${code}) before listening`)));
    });
    return new ReplayProcess(child, port);
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  wsUrl(path = '/stream'): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  /**
   * The next connection that subscribes gets `s`. `streaming` resolves when that connection has
   * subscribed (the stream begins), `done` with what was sent once it is all out.
   */
  async arm(s: Scenario): Promise<{ streaming: Promise<void>; done: Promise<ReplayDone> }> {
    // A stream armed before that never began (a peer that was not installed never connected)
    // leaves its waiters: they must not take this stream's messages. Each is answered now, a
    // 'done' with nothing sent.
    for (const w of this.waiters.filter((x) => x.type === 'streaming' || x.type === 'done')) {
      w.resolve({ type: 'done', frames: 0, trades: 0, ms: 0, phases: [], error: 'superseded by a newer arm' });
    }
    this.waiters = this.waiters.filter((w) => w.type !== 'streaming' && w.type !== 'done');
    const armed = this.next('armed');
    const streaming = this.next('streaming').then(() => undefined);
    const done = this.next('done') as unknown as Promise<ReplayDone>;
    this.child.send({ type: 'arm', scenario: s });
    await armed;
    return { streaming, done };
  }

  /** Opens a `gate` phase of the running scenario. */
  go(): void {
    this.child.send({ type: 'go' });
  }

  async dropClients(): Promise<void> {
    const r = this.next('dropped');
    this.child.send({ type: 'drop-clients' });
    await r;
  }

  stop(): void {
    this.child.disconnect();
  }

  private next(type: string): Promise<Message> {
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  private receive(m: Message): void {
    if (m.type === 'log') {
      this.log.push(String(m.line));
      return;
    }
    if (m.type === 'error') {
      // A stream that failed (client went away early) ends the waiting 'done' with zero sent.
      m = { type: 'done', frames: 0, trades: 0, ms: 0, phases: [], error: m.message };
    }
    const i = this.waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
  }
}
