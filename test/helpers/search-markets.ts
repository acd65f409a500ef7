/**
 * The feed form's instrument search as the renderer runs it: a `searchMarkets` command through
 * CoreApi on a pipeline without feeds. `cleanups` collects what each call started (the pipeline);
 * run `stopAll` in afterEach.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplyMessage, ServerMessage } from '../../shared/protocol';
import { CoreApi } from '../../electron/core/api/core-api';
import { startPipeline } from '../../electron/core/pipeline/pipeline';

export interface MarketSearch {
  /** Sends one searchMarkets command with `args`; resolves its reply. */
  search(args: unknown): Promise<ReplyMessage>;
  /** Registers a cleanup (a fake venue's close), run in reverse order by stopAll. */
  cleanup(fn: () => Promise<void>): void;
  stopAll(): Promise<void>;
}

export function marketSearch(): MarketSearch {
  const cleanups: (() => Promise<void>)[] = [];
  return {
    cleanup: (fn) => void cleanups.push(fn),
    stopAll: async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    },
    search: async (args) => {
      const p = await startPipeline({ feeds: [], dataDir: mkdtempSync(join(tmpdir(), 'tickscope-search-')), backfill: false, store: false });
      cleanups.push(() => p.stop());
      const got: ServerMessage[] = [];
      const session = new CoreApi(p, { timeframes: ['1m'] }).connect({ send: (m) => void got.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
      await session.receive({ type: 'command', id: 1, name: 'searchMarkets', args });
      session.close();
      return got.find((m): m is ReplyMessage => m.type === 'reply')!;
    },
  };
}
