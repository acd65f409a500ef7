/**
 * Typed errors (docs/architecture.md, Reliability): every failure that reaches the health view
 * carries a kind (network, protocol, rate-limit, parse, config, timeout, venue) and its
 * underlying cause, so a trader reads "rate-limit: HTTP 429 (Retry-After 1 s)" rather than
 * "Error". Config errors are shared/config.ts's ConfigError (kind `config`); REST failures come
 * back typed from rest/client.ts; connection failures carry their kind in runtime/connection.ts.
 */
import type { ErrorKind, FeedError } from '../../../shared/health';
import { show } from './show';

/** A frame, REST body or value that could not be understood; `cause` is the lower-level error. */
export class ParseError extends Error {
  readonly kind: ErrorKind = 'parse';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ParseError';
  }
}

const KINDS: readonly ErrorKind[] = ['network', 'protocol', 'rate-limit', 'parse', 'config', 'timeout', 'venue'];

/** The kind of any thrown value: a typed error's own, else `network` (sockets are the usual source). */
function errorKindOf(err: unknown): ErrorKind {
  const k = (err as { kind?: unknown } | null)?.kind;
  return typeof k === 'string' && (KINDS as readonly string[]).includes(k) ? (k as ErrorKind) : 'network';
}

/** Long enough for a whole message (replies to the UI, logs, the start-up error dialog). */
export const WHOLE_MESSAGE_CHARS = 2_000;

/**
 * The one error-to-text helper of the app: a short, human readable text for anything thrown or
 * any cause (`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`, a venue's message, a rejected
 * value), at most `maxLength` characters. An Error gives its message (its name when the message
 * is empty), with its `code` in front when the message does not say it; anything else its JSON
 * or, failing that, util/show.ts's bounded text. Never throws, whatever it is given.
 */
export function describeCause(cause: unknown, maxLength = 300): string {
  let text: string;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const message = cause.message || cause.name;
    text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  } else if (typeof cause === 'string') {
    text = cause;
  } else {
    try {
      text = JSON.stringify(cause) ?? String(cause);
    } catch {
      // A cycle, a BigInt inside, a throwing toJSON: show() reads any value without throwing.
      text = show(cause);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}...` : text;
}

/** Converts anything thrown into the FeedError the health view shows. */
export function toFeedError(err: unknown, at: number): FeedError {
  const message = err instanceof Error ? err.message : describeCause(err);
  const inner = err instanceof Error ? err.cause : undefined;
  const out: FeedError = { kind: errorKindOf(err), message, at };
  if (inner !== undefined) out.cause = describeCause(inner);
  return out;
}
