/**
 * What any web page in the user's browser (or any local process) can send the web host must not
 * end it. The host runs in a process of its own, so "survives" means the process is still there,
 * then still serves the authorised page and WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, openSocket, raw, rawThenReset, seeded, startHostProcess, stillServes, upgradeRequest, type HostProcess } from './harness';
import { waitFor } from '../../helpers/wait-for';

let host: HostProcess;

beforeAll(async () => {
  host = await startHostProcess();
}, 30_000);

afterAll(async () => {
  // Stopping cleanly (exit 0) is part of surviving.
  expect(await host.stop(), host.output()).toBe(0);
});

async function expectAlive(): Promise<void> {
  expect(host.alive(), host.output()).toBe(true);
  await stillServes(host);
  expect(host.alive(), host.output()).toBe(true);
}

/**
 * Targets `new URL(target, base)` throws on: scheme-relative URLs with no host or a bad one. They
 * are valid paths (an empty segment is allowed), so they are checked like any other path.
 */
const SCHEME_RELATIVE = ['//', '///', '//[::1', '//[::1]:99999', '//user@/', '//evil.example/ws'];
/** Not a path at all (absolute-form, as sent to a proxy; asterisk-form; no leading slash). */
const NOT_A_PATH = ['http://evil.example/', 'http://127.0.0.1/ws', '*', 'nopath'];

describe('web host under hostile requests', () => {
  it('refuses scheme-relative targets without a credential (403), finds nothing at them with one (404), and stays up', async () => {
    for (const target of SCHEME_RELATIVE) {
      const refused = await get(host.port, target);
      expect(refused.status, target).toBe(403);
      expect(refused.headers['set-cookie'], target).toBeUndefined();
      expect((await get(host.port, target, { cookie: host.pageCookie })).status, target).toBe(404);
    }
    // As any page can make the browser send it: <img src="http://127.0.0.1:PORT//">.
    expect(await raw(host.port, `GET // HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403 /);
    await expectAlive();
  });

  it('answers 400 to targets that are not a path, with or without a credential, and stays up', async () => {
    for (const target of NOT_A_PATH) {
      expect((await get(host.port, target)).status, target).toBe(400);
      expect((await get(host.port, target, { cookie: host.pageCookie })).status, target).toBe(400);
    }
    await expectAlive();
  });

  it('refuses the same targets on a WebSocket upgrade that carries the token (400 or 403), and stays up', async () => {
    const withToken = { 'Sec-WebSocket-Protocol': `tickscope.v1, tickscope.token.${host.token}` };
    for (const target of SCHEME_RELATIVE) {
      expect(await raw(host.port, upgradeRequest(host.port, target, withToken)), target).toMatch(/^HTTP\/1\.1 403 /);
    }
    for (const target of NOT_A_PATH) {
      expect(await raw(host.port, upgradeRequest(host.port, target, withToken)), target).toMatch(/^HTTP\/1\.1 400 /);
    }
    await expectAlive();
  });

  it('answers 400 to a malformed escape or a NUL in the path of an authorised request, and stays up', async () => {
    for (const path of ['/%zz', '/%', '/assets/%E0%A4%A', '/%00', '/assets%2F%00.js']) {
      const res = await get(host.port, path, { cookie: host.pageCookie });
      expect(res.status, path).toBe(400);
      expect(res.body).not.toContain(host.token);
    }
    // Escapes that decode to a way out of the renderer folder are refused or not found, never served.
    for (const path of ['/..%2F..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2F..%2Fpackage.json']) {
      expect([403, 404], path).toContain((await get(host.port, path, { cookie: host.pageCookie })).status);
    }
    await expectAlive();
  });

  it('refuses upgrades with a bad Host or Origin, without the token, or with only a cookie, and stays up', async () => {
    const withToken = { 'Sec-WebSocket-Protocol': `tickscope.v1, tickscope.token.${host.token}` };
    const refusals: Record<string, string>[] = [
      { ...withToken, Host: 'evil.example' },
      { ...withToken, Host: `127.0.0.1.evil.example:${host.port}` },
      { ...withToken, Host: '' },
      { ...withToken, Origin: 'http://evil.example' },
      { ...withToken, Origin: 'null' },
      { ...withToken, Origin: `http://127.0.0.1:${host.port + 1}` },
      {},
      { Cookie: host.pageCookie },
      { Cookie: `tickscope_token=${host.token}`, 'Sec-WebSocket-Protocol': 'tickscope.v1' },
      { 'Sec-WebSocket-Protocol': 'tickscope.v1, tickscope.token.wrongwrongwrongwrong' },
    ];
    for (const headers of refusals) {
      const answer = await raw(host.port, upgradeRequest(host.port, '/ws', headers));
      expect(answer, JSON.stringify(headers)).toMatch(/^HTTP\/1\.1 403 /);
      expect(answer).not.toContain(host.token);
    }
    // The right credentials on another path.
    expect(await raw(host.port, upgradeRequest(host.port, '/other', withToken))).toMatch(/^HTTP\/1\.1 403 /);
    await expectAlive();
  });

  it('answers malformed HTTP with 400 (431 for oversized headers), and stays up', async () => {
    expect(await raw(host.port, 'HELLO THERE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(host.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nBad Header: x\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(host.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    await expectAlive();
  });

  it('closes a socket that sends a frame over 256 KB with 1009, and only that socket', async () => {
    const bystander = openSocket(host.port, host.token);
    const offender = openSocket(host.port, host.token);
    await waitFor(() => offender.got.length > 0 && bystander.got.length > 0, 'both hellos');
    offender.ws.send('x'.repeat(256 * 1024 + 1));
    expect((await offender.closed).code).toBe(1009);
    const before = bystander.got.length;
    await waitFor(() => bystander.got.length > before + 2, 'batches on the other socket');
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    bystander.ws.close();
    await expectAlive();
  });
});

describe('web host under a burst of hostile and garbage requests', () => {
  it('is still up and serving the page and the WebSocket afterwards', async () => {
    const seed = 0x7ec5c09e;
    const rand = seeded(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const port = host.port;
    const hostHeader = `Host: 127.0.0.1:${port}\r\n`;
    const tokenProtocol = { 'Sec-WebSocket-Protocol': `tickscope.v1, tickscope.token.${host.token}` };
    const garbageLine = () => {
      const n = 1 + Math.floor(rand() * 200);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(32 + Math.floor(rand() * 95));
      return s;
    };
    const garbageBytes = () => Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)));
    // Only the host's survival is asserted, not each answer: wait for one briefly, then move on.
    const send = (bytes: string | Buffer) => raw(port, bytes, 300);
    const makers: (() => Promise<unknown>)[] = [
      () => send(`GET ${pick([...SCHEME_RELATIVE, ...NOT_A_PATH])} HTTP/1.1\r\n${hostHeader}\r\n`),
      () => send(upgradeRequest(port, pick([...SCHEME_RELATIVE, ...NOT_A_PATH]), tokenProtocol)),
      () => send(`GET ${pick(['/%zz', '/%', '/%00', '/%E0%A4%A'])} HTTP/1.1\r\n${hostHeader}Cookie: ${host.pageCookie}\r\n\r\n`),
      () => send(upgradeRequest(port, '/ws', pick([{ ...tokenProtocol, Host: 'evil.example' }, { ...tokenProtocol, Origin: 'http://evil.example' }, {}]))),
      () => send(upgradeRequest(port, '/ws', { ...tokenProtocol, 'Sec-WebSocket-Key': garbageLine().replace(/[\r\n:]/g, '') })),
      () => send(upgradeRequest(port, '/ws', { 'Sec-WebSocket-Protocol': `tickscope.v1,, ,tickscope.token.${host.token}, ${garbageLine().replace(/[\r\n:]/g, '')}` })),
      () => send(`${garbageLine()}\r\n\r\n`),
      () => send(`${pick(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'BREW', 'G\u00e9T'])} ${pick(['/', '//', '*', '/ws', garbageLine().replace(/ /g, '')])} ${pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTQ/1.1', ''])}\r\n${hostHeader}\r\n`),
      () => send(garbageBytes()),
      () => send(`GET / HTTP/1.1\r\n${hostHeader}X-Big: ${'a'.repeat(20_000 + Math.floor(rand() * 60_000))}\r\n\r\n`),
      () => send(`GET / HTTP/1.1\r\n${hostHeader}Bad Header\u0000: x\r\n\r\n`),
      () => send(`POST /?token=${host.token} HTTP/1.1\r\n${hostHeader}Transfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n`),
      () => send(`GET / HTTP/1.1\r\n${hostHeader}Cookie: ${host.pageCookie}\r\n\r\nGET // HTTP/1.1\r\n${hostHeader}\r\nGET /%zz HTTP/1.1\r\n${hostHeader}Cookie: ${host.pageCookie}\r\n\r\n`),
      () => send(`GET / HTTP/1.1\r\n${hostHeader}`), // never finishes its headers
      () => rawThenReset(port, upgradeRequest(port, '/ws', tokenProtocol)),
      () => rawThenReset(port, upgradeRequest(port, '//', tokenProtocol)),
      () => rawThenReset(port, `GET /%zz HTTP/1.1\r\n${hostHeader}Cookie: ${host.pageCookie}\r\n\r\n`),
      async () => {
        const c = openSocket(port, host.token);
        await Promise.race([waitFor(() => c.got.length > 0, 'hello'), c.closed]);
        if (c.ws.readyState === c.ws.OPEN) c.ws.send(pick(['x'.repeat(300_000), '{"type":"command","id":1,"name":"nope"}', '[[[[', garbageLine()]));
        c.ws.terminate();
      },
    ];
    // Every maker at least once, then random ones; 16 at a time (two cores are shared).
    const jobs = [...makers, ...Array.from({ length: 250 }, () => pick(makers))];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );
    expect(host.alive(), `seed ${seed}\n${host.output()}`).toBe(true);
    await expectAlive();
  }, 60_000);
});
