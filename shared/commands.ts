/**
 * The UI -> core command set, one schema per command. Checked on arrival in the core (Electron
 * main and web host alike) so a bad payload gets a clear reply and changes nothing. Before any
 * of these schemas runs, the whole message has passed COMMAND_LIMITS (shared/json-limits.ts):
 * depth, keys, array and string lengths, total size, so no schema ever walks a hostile shape.
 */
import { z } from 'zod';
import { feedConfigSchema, feedIdSchema } from './config';
import { MARKET_TYPES } from './domain';
import { isTimeframe } from './timeframes';

const feedId = feedIdSchema;

export const commandSchemas = {
  listFeeds: z.object({}).strict().optional(),
  addFeed: feedConfigSchema,
  updateFeed: feedConfigSchema.and(z.object({ id: feedId })),
  removeFeed: z.object({ id: feedId }).strict(),
  setFeedEnabled: z.object({ id: feedId, enabled: z.boolean() }).strict(),
  searchMarkets: z
    .object({ exchange: z.string().max(64), market: z.enum(MARKET_TYPES), query: z.string().max(40) })
    .strict(),
  getBars: z
    .object({
      exchange: z.string().max(64),
      market: z.enum(MARKET_TYPES),
      symbol: z.string().max(64),
      tf: z.string().max(16).refine(isTimeframe, 'invalid timeframe'),
      limit: z.number().int().positive().max(50_000).optional(),
      /** Only bars starting before this time (epoch ms): scrolling left loads older bars. */
      before: z.number().int().nonnegative().optional(),
    })
    .strict(),
  /** CSV of bars (tf required) or trades of one market over [from, to) epoch ms. */
  exportCsv: z
    .object({
      kind: z.enum(['bars', 'trades']),
      exchange: z.string().max(64),
      market: z.enum(MARKET_TYPES),
      symbol: z.string().max(64),
      tf: z.string().max(16).refine(isTimeframe, 'invalid timeframe').optional(),
      from: z.number().int().nonnegative(),
      to: z.number().int().positive(),
    })
    .strict()
    .refine((a) => a.kind === 'trades' || a.tf !== undefined, { message: 'tf is required for bars', path: ['tf'] })
    .refine((a) => a.to > a.from, { message: 'must be after from', path: ['to'] }),
  getHealth: z.object({}).strict().optional(),
  /** Simulator fault injection, for demos and tests: drop, stall (ms), malformed (count). */
  simulatorFault: z
    .object({ feedId, mode: z.enum(['drop', 'stall', 'malformed']), arg: z.number().nonnegative().max(86_400_000).optional() })
    .strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandArgs<N extends CommandName> = z.input<(typeof commandSchemas)[N]>;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commandSchemas, name);
}
