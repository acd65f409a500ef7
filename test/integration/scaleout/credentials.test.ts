/**
 * A NATS that requires a user and password: the publisher and a `nats` feed take the secret from
 * an environment variable; a wrong one is an error that never shows the secret.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseFeedConfig } from '../../../shared/config';
import { Pipeline } from '../../../electron/core/pipeline/pipeline';
import { credentialsFromEnv } from '../../../electron/core/scaleout/connect';
import { NatsPublisher } from '../../../electron/core/scaleout/nats-publisher';
import { waitFor } from '../../helpers/wait-for';
import { NatsTestServer } from './nats-server';

const SECRET = 'pw-9f3c1a';
let nats: NatsTestServer;
let desk: Pipeline | null = null;

beforeAll(async () => {
  nats = await NatsTestServer.start(['--user', 'desk', '--pass', SECRET]);
});

afterAll(async () => {
  await desk?.stop();
  await nats?.close();
});

it('publisher and desktop authenticate from env vars; a wrong password is reported without the secret', async () => {
  const env = { TICKSCOPE_NATS_USER: 'desk', TICKSCOPE_NATS_PASS: SECRET };
  const pub = new NatsPublisher({ url: nats.url, stream: 'TS_AUTH', subjectPrefix: 'auth', credentials: credentialsFromEnv(env) });
  await pub.start();
  pub.publish({ type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 1, size: 1, side: 'buy', time: 1_700_000_000_000, receivedAt: 1_700_000_000_001, id: '1' });
  await pub.close();
  expect(pub.stats().publishedRecords).toBe(1);

  const wrong = new NatsPublisher({ url: `nats://desk:not-${SECRET}@127.0.0.1:${nats.port}`, stream: 'TS_AUTH', subjectPrefix: 'auth' });
  const err = await wrong.start().then(() => null, (e: Error) => e.message);
  expect(err).toMatch(/NATS nats:\/\/\*\*\*@127\.0\.0\.1:\d+: .*auth/i);
  expect(err).not.toContain(SECRET);

  // The feed names the variable, never the secret; the env var is read where the feed starts.
  process.env['TS_TEST_DESK_PASS'] = SECRET;
  desk = new Pipeline({
    feeds: [parseFeedConfig({ id: 'desk', exchange: 'nats', url: nats.url, symbols: ['BTC-USDT'], options: { sources: ['binance:spot'], durable: 'auth', stream: 'TS_AUTH', subjectPrefix: 'auth', user: 'desk', passEnv: 'TS_TEST_DESK_PASS' } })],
    dataDir: null,
    backfill: false,
  });
  const trades: string[] = [];
  desk.onRecord((r) => r.type === 'trade' && trades.push(r.id ?? ''));
  await desk.start();
  await waitFor(() => trades.length === 1, 'the trade through an authenticated desktop');
  expect(JSON.stringify(desk.health())).not.toContain(SECRET);
  delete process.env['TS_TEST_DESK_PASS'];
}, 30_000);

it('a desktop with a wrong password shows the refusal on its row, without the password, and keeps trying', async () => {
  process.env['TS_TEST_WRONG_PASS'] = `wrong-${SECRET}`;
  const p = new Pipeline({
    feeds: [parseFeedConfig({ id: 'desk2', exchange: 'nats', url: nats.url, symbols: ['BTC-USDT'], options: { sources: ['binance:spot'], stream: 'TS_AUTH', subjectPrefix: 'auth', user: 'desk', passEnv: 'TS_TEST_WRONG_PASS' } })],
    dataDir: null,
    backfill: false,
  });
  await p.start();
  try {
    const row = await waitFor(() => p.health().feeds.find((f) => f.lastError !== null), 'the refusal on the row');
    expect(row.lastError?.message).toMatch(/NATS nats:\/\/127\.0\.0\.1:\d+: .*auth/i);
    expect(row.state).toBe('connecting');
    expect(JSON.stringify(p.health())).not.toContain(SECRET);
  } finally {
    await p.stop();
    delete process.env['TS_TEST_WRONG_PASS'];
  }
}, 30_000);
