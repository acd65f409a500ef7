/**
 * Named, supervised tasks (asyncio Task/TaskGroup, DESIGN.md section 4), driven by AbortSignal.
 *
 * - Isolation: a task that throws (or rejects) is recorded and reported; it never affects another
 *   task and never becomes an unhandled rejection.
 * - Restart policy: `never` (default), `on-failure` (restart after an error), `always` (restart
 *   after an error or a normal return), at most `maxRestarts` times (default 5) with
 *   `restartDelayMs` (default 1000) between runs. When the limit is reached the task ends `failed`
 *   (or `done` if its last run returned normally) and a `gave-up` event is emitted.
 * - Cancellation: a task whose signal was aborted ends `cancelled`, whatever its run returned or
 *   threw (an AbortError thrown on the way out is not a failure). A pending restart delay is cut
 *   short by cancellation.
 * - Names: a name in use by a live task (running or restarting) cannot be spawned again; a name
 *   whose task has ended may be reused (the new task replaces the old record).
 */
import { systemClock, type Clock } from '../util/clock';

export type RestartPolicy = 'never' | 'on-failure' | 'always';

export interface TaskOptions {
  restart?: RestartPolicy;
  maxRestarts?: number;
  restartDelayMs?: number;
}

export interface TaskInfo {
  name: string;
  state: 'running' | 'restarting' | 'done' | 'failed' | 'cancelled';
  restarts: number;
  lastError: string | null;
}

export type SupervisorEvent = {
  task: string;
  kind: 'started' | 'failed' | 'restarting' | 'done' | 'cancelled' | 'gave-up';
  error?: unknown;
};

export const DEFAULT_MAX_RESTARTS = 5;
export const DEFAULT_RESTART_DELAY_MS = 1000;

interface TaskRecord {
  info: TaskInfo;
  controller: AbortController;
  /** Settles (never rejects) when the task has finally ended, restarts included. */
  ended: Promise<void>;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export class Supervisor {
  private readonly clock: Clock;
  private readonly onEvent: ((e: SupervisorEvent) => void) | undefined;
  private readonly records = new Map<string, TaskRecord>();
  private shuttingDown = false;

  constructor(opts: { clock?: Clock; onEvent?: (e: SupervisorEvent) => void } = {}) {
    this.clock = opts.clock ?? systemClock;
    this.onEvent = opts.onEvent;
  }

  /**
   * Starts a named task; `run` gets an AbortSignal and should return when it aborts.
   * Throws if the name belongs to a live task, or after shutdown() began.
   */
  spawn(name: string, run: (signal: AbortSignal) => Promise<void>, opts: TaskOptions = {}): void {
    if (this.shuttingDown) throw new Error(`supervisor is shutting down; cannot spawn "${name}"`);
    const existing = this.records.get(name);
    if (existing && (existing.info.state === 'running' || existing.info.state === 'restarting')) {
      throw new Error(`a task named "${name}" is already running`);
    }
    const policy = opts.restart ?? 'never';
    const maxRestarts = opts.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    const delayMs = opts.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    const controller = new AbortController();
    const info: TaskInfo = { name, state: 'running', restarts: 0, lastError: null };
    const record: TaskRecord = { info, controller, ended: Promise.resolve() };
    this.records.set(name, record);
    record.ended = this.supervise(info, controller.signal, run, policy, maxRestarts, delayMs);
  }

  /** Aborts one task and awaits its end (including its cleanup). Unknown names resolve at once. */
  async cancel(name: string): Promise<void> {
    const record = this.records.get(name);
    if (!record) return;
    record.controller.abort(new Error(`task "${name}" cancelled`));
    await record.ended;
  }

  tasks(): TaskInfo[] {
    return [...this.records.values()].map((r) => ({ ...r.info }));
  }

  /**
   * Aborts every task and awaits them, giving up after deadlineMs; reports (by name) those that
   * had not finished by then. No task may be spawned afterwards.
   */
  async shutdown(deadlineMs: number): Promise<{ unfinished: string[] }> {
    this.shuttingDown = true;
    const all = [...this.records.values()];
    for (const r of all) r.controller.abort(new Error('supervisor shutdown'));
    let timer: unknown;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = this.clock.setTimeout(() => resolve('deadline'), Math.max(0, deadlineMs));
    });
    await Promise.race([Promise.all(all.map((r) => r.ended)), deadline]);
    this.clock.clearTimeout(timer);
    const unfinished = all
      .filter((r) => r.info.state === 'running' || r.info.state === 'restarting')
      .map((r) => r.info.name);
    return { unfinished };
  }

  private emit(task: string, kind: SupervisorEvent['kind'], error?: unknown): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(error === undefined ? { task, kind } : { task, kind, error });
    } catch {
      // An observer's bug must not take supervision down with it.
    }
  }

  /** The life of one task: run, then restart or settle according to the policy. Never rejects. */
  private async supervise(
    info: TaskInfo,
    signal: AbortSignal,
    run: (signal: AbortSignal) => Promise<void>,
    policy: RestartPolicy,
    maxRestarts: number,
    delayMs: number,
  ): Promise<void> {
    for (;;) {
      info.state = 'running';
      this.emit(info.name, 'started');
      let failed = false;
      let error: unknown;
      try {
        // Through a microtask, so a synchronous throw in run is caught like a rejection. A task
        // cancelled before that microtask is not run at all (it could miss the abort event).
        await Promise.resolve().then(() => (signal.aborted ? undefined : run(signal)));
      } catch (err) {
        failed = true;
        error = err;
      }
      if (signal.aborted) {
        info.state = 'cancelled';
        this.emit(info.name, 'cancelled');
        return;
      }
      if (failed) {
        info.lastError = errorText(error);
        this.emit(info.name, 'failed', error);
      }
      const wantsRestart = policy === 'always' || (policy === 'on-failure' && failed);
      if (!wantsRestart) {
        info.state = failed ? 'failed' : 'done';
        if (!failed) this.emit(info.name, 'done');
        return;
      }
      if (info.restarts >= maxRestarts) {
        info.state = failed ? 'failed' : 'done';
        this.emit(info.name, 'gave-up', error);
        return;
      }
      info.state = 'restarting';
      this.emit(info.name, 'restarting', error);
      await this.sleep(delayMs, signal);
      if (signal.aborted) {
        info.state = 'cancelled';
        this.emit(info.name, 'cancelled');
        return;
      }
      info.restarts++;
    }
  }

  /** Waits ms on the injected clock, or less if the signal aborts. Never rejects. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.clock.clearTimeout(handle);
        signal.removeEventListener('abort', done);
        resolve();
      };
      if (signal.aborted) return resolve();
      const handle = this.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
