/**
 * The `options` each venue accepts in a FeedConfig, as strict zod schemas (unknown keys are
 * rejected; venues that take no options accept only `{}`).
 *
 * Why here and not only in the adapters: feed validation (shared/config.ts) runs wherever a feed
 * enters, including code that must stay free of Node (the renderer imports shared/), while the
 * adapters import Node modules (the simulator adapter reaches the simulator server). So the
 * schemas live in this plain file keyed by feed source kind (shared/venues.ts), and each adapter points at its own entry
 * (`VenueAdapter.optionsSchema`), so an adapter still describes its venue completely; a test checks
 * that every adapter's schema is the one registered here (test/unit/shared/venue-options.test.ts).
 */
import { z } from 'zod';
import { isFeedSourceKind, type FeedSourceKind } from './venues';

/** Venues whose connections take no options: only `{}` (or no `options` at all). */
export const noOptionsSchema = z.object({}).strict();

/**
 * Loopback only: the embedded simulator is a local test venue and must never be reachable from
 * the network (a feed with `host: "0.0.0.0"` would listen on every interface).
 */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1'] as const;

const simulatorFaultSchema = z
  .object({
    mode: z.enum(['drop', 'stall', 'malformed', 'drop-diff'], { message: 'must be drop, stall, malformed or drop-diff' }),
    afterMs: z.number().min(0).max(86_400_000).optional(),
    forMs: z.number().min(0).max(86_400_000).optional(),
    count: z.number().int().min(1).max(1_000_000).optional(),
    everyMs: z.number().min(10).max(86_400_000).optional(),
  })
  .strict();

/** The built-in simulator (electron/core/simulator/options.ts documents each field). */
export const simulatorOptionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.enum(LOOPBACK_HOSTS, { message: 'must be 127.0.0.1 or ::1 (the simulator listens on loopback only)' }).optional(),
    seed: z.number().int().optional(),
    rate: z.number().positive('must be a positive number of trades per second').max(1_000_000).optional(),
    bursts: z.boolean().optional(),
    markets: z.array(z.string().max(64)).min(1).max(1000).optional(),
    tickMs: z.number().min(1).max(1000).optional(),
    heartbeatMs: z.number().min(10).max(60_000).optional(),
    quoteIntervalMs: z.number().min(0).max(60_000).optional(),
    maxBufferedBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).optional(),
    bookDepth: z.number().int().min(1).max(1000).optional(),
    fault: z.union([simulatorFaultSchema, z.array(simulatorFaultSchema).max(100)]).optional(),
  })
  .strict();

/**
 * The replay venue: which recording (a file or a feed's recording folder) and how fast. Where the
 * file may be is checked when the feed starts (it must resolve inside <data dir>/recordings unless
 * the feed came from the command line): that needs the file system, which shared/ has not.
 */
export const replayOptionsSchema = z
  .object({
    file: z
      .string({ message: 'the recording file or folder to replay is required' })
      .trim().min(1, 'the recording file or folder to replay is required').max(4096),
    speed: z.union([z.literal(1), z.literal(10), z.literal('max')], { message: 'must be 1, 10 or "max"' }).optional(),
  })
  .strict();

/** `<venue>:<market>`, e.g. `binance:spot`: an upstream feed of the ingest node. */
const natsSourceSchema = z.string().regex(/^[a-z0-9_-]{1,32}:(spot|perp)$/, 'must be <venue>:<market>, e.g. binance:spot');
/** The name of an environment variable holding a secret (the secret itself is never in the config). */
const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name');

/**
 * A NATS JetStream subscription to a shared ingest node (electron/core/scaleout/). Credentials are
 * named by environment variable (`passEnv`, `tokenEnv`, `nkeySeedEnv`), so settings.json never
 * holds a secret; `user` alone is not secret.
 */
export const natsOptionsSchema = z
  .object({
    sources: z.array(natsSourceSchema).min(1, 'name at least one upstream feed, e.g. ["binance:spot"]').max(64),
    durable: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').optional(),
    stream: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').optional(),
    subjectPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, _ or -').optional(),
    user: z.string().min(1).max(256).optional(),
    passEnv: envNameSchema.optional(),
    tokenEnv: envNameSchema.optional(),
    nkeySeedEnv: envNameSchema.optional(),
    tls: z.boolean().optional(),
  })
  .strict();

export const VENUE_OPTIONS = {
  simulator: simulatorOptionsSchema,
  binance: noOptionsSchema,
  coinbase: noOptionsSchema,
  kraken: noOptionsSchema,
  bybit: noOptionsSchema,
  okx: noOptionsSchema,
  bitstamp: noOptionsSchema,
  bitfinex: noOptionsSchema,
  bitmex: noOptionsSchema,
  gate: noOptionsSchema,
  hyperliquid: noOptionsSchema,
  deribit: noOptionsSchema,
  kucoin: noOptionsSchema,
  replay: replayOptionsSchema,
  nats: natsOptionsSchema,
} as const satisfies Record<FeedSourceKind, z.ZodType>;

/** A venue's options schema; undefined for an exchange id that is not known. */
export function venueOptionsSchema(exchange: string): z.ZodType<Record<string, unknown>> | undefined {
  return isFeedSourceKind(exchange) ? (VENUE_OPTIONS[exchange] as z.ZodType<Record<string, unknown>>) : undefined;
}
