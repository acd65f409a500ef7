/**
 * Request/reply over any CoreTransport: commands get an id, replies resolve the matching promise.
 * Typed from the contract in shared/commands.ts: `request('getBars', ...)` resolves to `Bar[]`.
 */
import type { CommandArgs, CommandName, CommandResult } from '../../../shared/commands';
import type { ReplyMessage } from '../../../shared/protocol';
import type { CoreTransport } from './types';

export class CoreClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(readonly transport: CoreTransport) {
    transport.onMessage((m) => {
      if (m.type === 'reply') this.settle(m);
    });
    transport.onClose((reason) => {
      for (const p of this.pending.values()) p.reject(new Error(reason));
      this.pending.clear();
    });
  }

  request<N extends CommandName>(name: N, args?: CommandArgs<N>, timeoutMs = 15_000): Promise<CommandResult<N>> {
    return this.send(name, args, timeoutMs);
  }

  /**
   * For what a user typed (the feed form): arguments sent as they are, so that the core's schema,
   * not a guess here, says what is wrong and names the field. The result is typed as request()'s.
   */
  requestUnchecked<N extends CommandName>(name: N, args: unknown, timeoutMs = 15_000): Promise<CommandResult<N>> {
    return this.send(name, args, timeoutMs);
  }

  /**
   * The one place a reply's `result` (unknown on the wire) becomes the command's result type: the
   * core's handler for `name` is typed to return exactly that (CommandHandlers in shared/commands.ts).
   */
  private send<N extends CommandName>(name: N, args: unknown, timeoutMs: number): Promise<CommandResult<N>> {
    const id = this.nextId++;
    return new Promise<CommandResult<N>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${name}: no answer from the core within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as CommandResult<N>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.transport.send({ type: 'command', id, name, args });
    });
  }

  private settle(m: ReplyMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error ?? 'command failed'));
  }
}
