/**
 * `npm run headless -- --config FILE --publish nats://...` as a real process: what it prints is
 * what a desktop's `nats` feed receives; a NATS it cannot reach is an error that names the URL
 * without its password.
 */
import { expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { runHeadless, writeHeadlessConfig } from '../../helpers/headless-run';
import { waitFor } from '../../helpers/wait-for';
import { startDesktop, tradeKeys, useNatsSuite } from './harness';

const suite = useNatsSuite();

it('publishes every trade it prints; a desktop receives exactly those', async () => {
  const nats = suite.nats();
  const config = await writeHeadlessConfig({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], channels: ['trades'], options: { rate: 100, seed: 7 } }] });
  const run = await runHeadless(['--config', config, '--duration', '2', '--emit', 'trades', '--publish', nats.url, '--publish-stream', 'TS_CLI', '--publish-max-age', '1']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const printed = lines.filter((l) => l['type'] === 'trade') as unknown as Trade[];
  const summary = lines.at(-1)!;
  expect(printed.length).toBeGreaterThan(50);
  expect(summary['publish']).toMatchObject({ droppedRecords: 0, connected: true });
  expect((summary['publish'] as { publishedRecords: number }).publishedRecords).toBeGreaterThanOrEqual(printed.length);

  // The desktop names the venue and market as the ingest node's feed had them: simulator, spot.
  const d = suite.track(await startDesktop(nats.url, 'cli', { stream: 'TS_CLI', prefix: 'tickscope' }));
  await waitFor(() => d.trades.length >= printed.length, 'the printed trades at the desktop', { explain: () => `${d.trades.length}/${printed.length}` });
  expect(tradeKeys(d.trades)).toEqual(tradeKeys(printed));
}, 30_000);

it('a NATS it cannot reach: exit 1, the URL named without its password', async () => {
  const config = await writeHeadlessConfig({ feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'] }] });
  const run = await runHeadless(['--config', config, '--duration', '1', '--publish', 'nats://desk:hunter2@127.0.0.1:1']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('nats://***@127.0.0.1:1');
  expect(run.stderr).not.toContain('hunter2');
}, 30_000);

it('--publish needs a nats:// or tls:// URL (exit 2)', async () => {
  const run = await runHeadless(['--publish', 'http://127.0.0.1:4222']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--publish: must be a nats:// or tls:// URL');
});
