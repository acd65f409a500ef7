/**
 * The path from issue 9: a feed whose options are nested deeper than JSON.stringify can recurse
 * (well under the 256 KB frame cap) used to make the next connection's hello throw inside the
 * upgrade callback and end the process. Whether the core refuses such a feed (it should) or
 * keeps it, the web host process must stay up and keep serving its page. Own process, because
 * the feed may poison the core state for any test after it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { get, openSocket, startHostProcess, type HostProcess } from './harness';
import { waitFor } from '../../helpers/wait-for';

let host: HostProcess;

beforeAll(async () => {
  host = await startHostProcess();
}, 30_000);

afterAll(async () => {
  expect(await host.stop(), host.output()).toBe(0);
});

it('stays up when a command leaves the core with state it cannot encode', async () => {
  const deep = `${'['.repeat(50_000)}1${']'.repeat(50_000)}`;
  const c = openSocket(host.port, host.token);
  await waitFor(() => c.got.length > 0, 'hello');
  c.ws.send(`{"type":"command","id":1,"name":"addFeed","args":{"exchange":"simulator","symbols":["BTC-USDT"],"options":{"a":${deep}}}}`);
  // Either a reply or (if the reply itself cannot be encoded) a 1011 close of this socket only.
  await Promise.race([waitFor(() => c.got.some((m) => m.type === 'reply'), 'a reply'), c.closed]);
  c.ws.close();
  for (let i = 0; i < 3; i++) {
    const next = openSocket(host.port, host.token);
    const outcome = await Promise.race([waitFor(() => (next.got[0]?.type === 'hello' ? 'hello' : undefined), 'a hello'), next.closed.then((e) => e.code)]);
    expect(['hello', 1011]).toContain(outcome);
    next.ws.close();
  }
  expect(host.alive(), host.output()).toBe(true);
  expect((await get(host.port, '/', { cookie: host.pageCookie })).status).toBe(200);
  expect(host.alive(), host.output()).toBe(true);
});
