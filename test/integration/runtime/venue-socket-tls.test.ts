/**
 * Every real venue is wss://: the venue socket over TLS, against a loopback `ws` server with the
 * test certificate (test/fixtures/tls/), the client trusting it through NODE_EXTRA_CA_CERTS in a
 * child process. By name the client must send SNI; by IP it must not (Node refuses an IP as
 * servername). An untrusted certificate must fail the connection, never be skipped.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

const cert = new URL('../../fixtures/tls/localhost.crt', import.meta.url);
const key = new URL('../../fixtures/tls/localhost.key', import.meta.url);
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function wssServer() {
  const https = createServer({ cert: readFileSync(cert), key: readFileSync(key) });
  const wss = new WebSocketServer({ server: https });
  const servernames: (string | false | null)[] = [];
  wss.on('connection', (peer, req) => {
    servernames.push((req.socket as TLSSocket).servername);
    peer.on('message', (text) => {
      peer.send(`echo ${text.toString()}`);
      peer.close(1000, 'done');
    });
  });
  await new Promise<void>((ready) => https.listen(0, '127.0.0.1', ready));
  closers.push(() => {
    wss.close();
    https.close();
  });
  return { port: (https.address() as AddressInfo).port, servernames };
}

/** Runs the probe to its close and returns its event lines. */
function probe(url: string, trustTestCertificate: boolean): Promise<Record<string, unknown>[]> {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: trustTestCertificate ? cert.pathname : '' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/venue-socket-probe.ts', url], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((done) => child.on('exit', () => done(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>))));
}

describe('VenueSocket over TLS', () => {
  it('connects to wss:// by name (with SNI) and by IP (without), carries text both ways and closes', async () => {
    const server = await wssServer();
    for (const host of ['localhost', '127.0.0.1']) {
      expect(await probe(`wss://${host}:${server.port}/ws`, true)).toEqual([{ open: true }, { message: 'echo hello' }, { close: 1000, reason: 'done' }]);
    }
    expect(server.servernames).toEqual(['localhost', false]);
  }, 20_000);

  it('refuses a certificate it does not trust: an error, then the close', async () => {
    const server = await wssServer();
    const events = await probe(`wss://localhost:${server.port}/ws`, false);
    expect(events).toEqual([{ error: 'self-signed certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, { close: 1006, reason: '' }]);
    expect(server.servernames).toEqual([]);
  }, 20_000);
});
