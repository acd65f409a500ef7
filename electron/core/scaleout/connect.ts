/**
 * Opening a NATS connection for the publisher or a `nats` feed, with credentials that never reach
 * a log: secrets come from the environment (or the caller's options) and every error text that
 * leaves this folder passes through redact().
 */
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';

export interface NatsCredentials {
  user?: string;
  pass?: string;
  token?: string;
  /** An nkey seed (`SU...`): the client signs the server's nonce with it. */
  nkeySeed?: string;
}

export interface NatsConnectOptions {
  /** nats://host:port or tls://host:port (TLS required); user:pass@ in the URL is taken as credentials. */
  url: string;
  credentials?: NatsCredentials;
  /** Require TLS even on a nats:// URL. */
  tls?: boolean;
  name: string;
}

/** Env vars read when the options name none: TICKSCOPE_NATS_USER / _PASS / _TOKEN / _NKEY_SEED. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv, names: { user?: string; passEnv?: string; tokenEnv?: string; nkeySeedEnv?: string } = {}): NatsCredentials {
  const pick = (name: string | undefined, fallback: string): string | undefined => {
    const v = env[name ?? fallback];
    return v === undefined || v === '' ? undefined : v;
  };
  const c: NatsCredentials = {};
  const user = names.user ?? pick(undefined, 'TICKSCOPE_NATS_USER');
  const pass = pick(names.passEnv, 'TICKSCOPE_NATS_PASS');
  const token = pick(names.tokenEnv, 'TICKSCOPE_NATS_TOKEN');
  const nkeySeed = pick(names.nkeySeedEnv, 'TICKSCOPE_NATS_NKEY_SEED');
  if (user !== undefined) c.user = user;
  if (pass !== undefined) c.pass = pass;
  if (token !== undefined) c.token = token;
  if (nkeySeed !== undefined) c.nkeySeed = nkeySeed;
  return c;
}

/** The URL with any user:pass@ removed, and the credentials found there. */
export function splitUrl(url: string): { server: string; tls: boolean; user?: string; pass?: string } {
  const m = /^(nats|tls):\/\/(?:([^@/]*)@)?(.+)$/.exec(url);
  if (!m) throw new Error(`not a nats:// or tls:// URL: ${redact(url)}`);
  const [, scheme, auth, rest] = m;
  const out: { server: string; tls: boolean; user?: string; pass?: string } = { server: `nats://${rest}`, tls: scheme === 'tls' };
  if (auth) {
    const [u, p] = auth.split(':');
    if (u) out.user = decodeURIComponent(u);
    if (p !== undefined) out.pass = decodeURIComponent(p);
  }
  return out;
}

/** Removes credentials from a text about a connection: user:pass@ in URLs and the known secrets. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/((?:nats|tls|wss?):\/\/)[^@\s/]*@/g, '$1***@');
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}

export function secretsOf(c: NatsCredentials | undefined): string[] {
  return c ? [c.pass, c.token, c.nkeySeed].filter((s): s is string => !!s) : [];
}

/**
 * Connects, retrying for ever in the background after the first success (a restarted server is
 * found again). A first connect that fails rejects: the publisher reports it and exits, a `nats`
 * feed tries again (scaleout/nats-consumer.ts).
 */
export async function openNats(o: NatsConnectOptions): Promise<NatsConnection> {
  const parsed = splitUrl(o.url);
  const c = { ...o.credentials };
  if (parsed.user !== undefined && c.user === undefined) c.user = parsed.user;
  if (parsed.pass !== undefined && c.pass === undefined) c.pass = parsed.pass;
  try {
    return await connect({
      servers: parsed.server,
      name: o.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      ...(parsed.tls || o.tls ? { tls: {} } : {}),
      ...(c.user !== undefined ? { user: c.user } : {}),
      ...(c.pass !== undefined ? { pass: c.pass } : {}),
      ...(c.token !== undefined ? { token: c.token } : {}),
      ...(c.nkeySeed !== undefined ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(c.nkeySeed)) } : {}),
    });
  } catch (e) {
    throw new Error(`NATS ${redact(o.url)}: ${redact(e instanceof Error ? e.message : String(e), secretsOf(c))}`);
  }
}
