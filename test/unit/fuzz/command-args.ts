/**
 * Arbitraries for UI -> core commands: valid arguments of every command (the seeds), mutated the
 * ways a careless or hostile client would, and random values of every kind a transport can
 * deliver (JSON over the web host's WebSocket; structured clones over Electron's MessagePort).
 */
import fc from 'fast-check';
import { commandSchemas, type CommandName } from '../../../shared/commands';
import { mutate, poisonJson, type Mutation } from './fuzz-kit';

export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

/** Valid arguments of each command, against the simulator (no network) and the default feed. */
export const SEEDS: Record<CommandName, unknown[]> = {
  listFeeds: [undefined, {}],
  addFeed: [
    { exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades', 'quotes'], options: { seed: 7, bursts: false } },
    { id: 'fz-perp', exchange: 'simulator', market: 'perp', symbols: ['ETH-USDT', 'SOL-USDT'], channels: ['trades', 'liquidations', 'funding'], enabled: false },
    { exchange: 'replay', symbols: ['BTC-USDT'], options: { file: 'recordings/none/x.ndjson.gz', speed: 10 } },
  ],
  updateFeed: [{ id: 'simulator-spot', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades'], options: { seed: 3 } }],
  removeFeed: [{ id: 'fz-perp' }],
  setFeedEnabled: [{ id: 'simulator-spot', enabled: false }, { id: 'simulator-spot', enabled: true }],
  searchMarkets: [{ exchange: 'simulator', market: 'spot', query: 'BTC' }],
  getBars: [{ exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', tf: '1s', limit: 100 }, { exchange: '*', market: 'spot', symbol: 'BTC-USDT', tf: '1m', before: 1_700_000_000_000 }],
  exportCsv: [
    { kind: 'bars', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', tf: '1m', from: 0, to: 4_000_000_000_000 },
    { kind: 'trades', exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', from: 0, to: 4_000_000_000_000 },
  ],
  getHealth: [undefined, {}],
  marketStats: [{ markets: [{ exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT' }, { exchange: 'binance', market: 'perp', symbol: 'ETH-USDT' }] }, { markets: [] }],
  simulatorFault: [{ feedId: 'simulator-spot', mode: 'malformed', arg: 3 }],
  listAlerts: [undefined, {}],
  saveAlert: [
    { id: 'fz-cross', market: '*:spot:BTC-USDT', kind: 'price-cross', price: 64_000, repeat: true, cooldownSeconds: 5 },
    { id: 'fz-stale', market: 'simulator:spot:BTC-USDT', kind: 'feed-stale', seconds: 10, feedId: 'simulator-spot', enabled: false },
  ],
  removeAlert: [{ id: 'fz-cross' }],
  watchCompositeBook: [{ market: 'perp', symbol: 'BTC-USDT', group: 0 }, { market: 'spot', symbol: 'ETH-USDT', group: 10 }],
  watchBookDepth: [{ exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT', group: 1, levels: 200 }],
};

/** JSON-level mutations only (the arguments must stay a value, not text). */
const valueMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), raw: poisonJson }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), raw: poisonJson }) },
);

/** A seed of `name` with zero to three mutations (a mutation that leaves JSON gives the text itself). */
export function mutatedArgs(name: CommandName): fc.Arbitrary<unknown> {
  const seeds = SEEDS[name];
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(valueMutation, { maxLength: 3 })).map(([i, ms]) => {
    const seed = seeds[i];
    if (ms.length === 0) return seed;
    const text = ms.reduce(mutate, seed === undefined ? '{}' : JSON.stringify(seed));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  });
}

/** Values only a structured clone delivers (Electron's MessagePort): Maps, Dates, bigints, typed arrays... */
export const cloneValue: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** `options` nested `depth` levels deep: the defect of issue 9 (a reply of "Maximum call stack size exceeded"). */
export function deepOptions(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) v = { a: v };
  return { exchange: 'simulator', symbols: ['BTC-USDT'], options: v };
}

/** Arguments for `name`: mutated seeds mostly, random JSON and clone values, hostile nesting. */
export function argsFor(name: CommandName): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedArgs(name) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: cloneValue },
    { weight: 1, arbitrary: fc.constantFrom(40, 1_000, 10_000).map(deepOptions) },
  );
}
