/**
 * A web host in its own process (host-process.ts), and clients that send exactly the bytes a
 * test asks for: node:http for ordinary requests, a raw net.Socket for request lines no HTTP
 * client would produce, and `ws` with the page's subprotocols for the WebSocket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../shared/protocol';
import { tokenProtocols } from '../../../shared/web-host-auth';
import { waitFor } from '../../helpers/wait-for';

const TSX_CLI = 'node_modules/tsx/dist/cli.mjs';

export interface HostProcess {
  proc: ChildProcess;
  port: number;
  token: string;
  /** `Cookie` header value of the page cookie the token URL's 302 set. */
  pageCookie: string;
  output(): string;
  alive(): boolean;
  stop(): Promise<number | null>;
}

export async function startHostProcess(): Promise<HostProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tickscope-wh-proc-'));
  const rendererDir = await mkdtemp(join(tmpdir(), 'tickscope-wh-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>tickscope test page</title>');
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  const proc = spawn(process.execPath, [TSX_CLI, 'test/integration/web-host/host-process.ts', dataDir, rendererDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`web host did not start within 25 s:\n${out}`));
    }, 25_000);
    proc.stdout!.on('data', () => {
      const m = /Open (\S+)\n/.exec(out); // the whole line: a chunk may end mid-URL
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    });
    proc.once('exit', (code) => reject(new Error(`web host exited (${code}):\n${out}`)));
  });
  const port = Number(url.port);
  const token = url.searchParams.get('token')!;
  const swap = await get(port, `/?token=${token}`);
  const pageCookie = String(swap.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  return {
    proc,
    port,
    token,
    pageCookie,
    output: () => out,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with `path` sent exactly as given (node:http does not normalise it). */
export function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Writes `bytes` on a fresh TCP connection and returns whatever comes back before the host
 * closes it (or `ms` passes): '' when the connection was reset or nothing came.
 */
export function raw(port: number, bytes: string | Buffer, ms = 3_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

/** A WebSocket upgrade request, as a browser would send it, with every header overridable. */
export function upgradeRequest(port: number, target: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  return `GET ${target} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

export interface Client {
  ws: WebSocket;
  got: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens /ws the way the page does (token as a subprotocol) and collects what arrives. */
export function openSocket(port: number, token: string, headers: Record<string, string> = {}): Client {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, tokenProtocols(token), { headers });
  const got: ServerMessage[] = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString()) as ServerMessage));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  return { ws, got, closed };
}

/** The host still serves its page to the cookie holder and streams to a new authorised socket. */
export async function stillServes(host: HostProcess): Promise<void> {
  const page = await get(host.port, '/', { cookie: host.pageCookie });
  if (page.status !== 200 || !page.body.includes('tickscope test page')) throw new Error(`page: ${page.status} ${page.body}`);
  const c = openSocket(host.port, host.token);
  try {
    await waitFor(() => c.got.some((m) => m.type === 'batch'), 'a batch on a new socket');
    if (c.got[0]?.type !== 'hello') throw new Error(`first message was ${c.got[0]?.type}`);
  } finally {
    c.ws.close();
  }
}

/** Writes `bytes`, then resets the connection (RST) at once, before the host has answered. */
export function rawThenReset(port: number, bytes: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.on('connect', () => socket.write(bytes, () => socket.resetAndDestroy()));
  });
}

/** Small seeded PRNG (mulberry32): a failing burst can be replayed exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
