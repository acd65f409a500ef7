/**
 * The venue socket (our WebSocket client) against a real `ws` server and against raw HTTP servers
 * that answer the upgrade wrongly: the handshake, both directions of text, pings answered with
 * the same payload, both closing handshakes, and every way a connection attempt fails reported
 * as the connection expects (an error before the one close, or a refused upgrade).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { VenueSocket, type VenueSocketListener } from '../../../electron/core/runtime/venue-socket/venue-socket';
import { waitFor } from '../../helpers/wait-for';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Heard {
  events: string[];
  messages: string[];
  errors: (Error & { code?: string })[];
  closes: [number, string][];
  statuses: number[];
}

function listen(): { listener: VenueSocketListener; heard: Heard } {
  const heard: Heard = { events: [], messages: [], errors: [], closes: [], statuses: [] };
  const listener: VenueSocketListener = {
    onOpen: () => heard.events.push('open'),
    onUnexpectedResponse: (res) => {
      heard.events.push('unexpected-response');
      heard.statuses.push(res.statusCode ?? 0);
      res.resume();
    },
    onRead: () => {},
    onMessage: (data, start, end) => heard.messages.push(data.toString('utf8', start, end)),
    onPing: () => heard.events.push('ping'),
    onPong: () => heard.events.push('pong'),
    onError: (err) => {
      heard.events.push('error');
      heard.errors.push(err);
    },
    onClose: (code, reason) => {
      heard.events.push('close');
      heard.closes.push([code, reason]);
    },
  };
  return { listener, heard };
}

async function started(server: Server): Promise<number> {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  cleanups.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

async function wsServer() {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const peers: WebSocket[] = [];
  const received: string[] = [];
  const pongs: string[] = [];
  const closes: [number, string][] = [];
  wss.on('connection', (peer, req) => {
    peers.push(peer);
    received.push(`path ${req.url}`);
    peer.on('message', (d) => received.push(d.toString()));
    peer.on('pong', (d) => pongs.push(d.toString()));
    peer.on('close', (code, reason) => closes.push([code, reason.toString()]));
  });
  cleanups.push(() => {
    for (const p of peers) p.terminate();
    wss.close();
  });
  const port = await started(http);
  return { url: `ws://127.0.0.1:${port}/stream?streams=a/b`, peers, received, pongs, closes };
}

describe('VenueSocket', () => {
  it('opens, carries text both ways (a 1 MB message whole), answers a ping with its payload, and closes when the server closes', async () => {
    const server = await wsServer();
    const { listener, heard } = listen();
    const socket = new VenueSocket(server.url, 4 << 20, listener);
    await waitFor(() => server.peers.length === 1 && heard.events.includes('open'), 'open');
    socket.send('{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":1}');
    socket.send('é'.repeat(40_000));
    await waitFor(() => server.received.length === 3, 'both client messages');
    expect(server.received).toEqual(['path /stream?streams=a/b', '{"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":1}', 'é'.repeat(40_000)]);

    const peer = server.peers[0]!;
    const large = 'x'.repeat(1 << 20);
    peer.send('{"result":null,"id":1}');
    peer.send(large);
    peer.ping('hello?');
    await waitFor(() => server.pongs.length === 1 && heard.messages.length === 2, 'the messages and the pong');
    expect(heard.messages).toEqual(['{"result":null,"id":1}', large]);
    expect(server.pongs).toEqual(['hello?']);
    expect(heard.events).toContain('ping');

    peer.close(4001, 'maintenance');
    await waitFor(() => heard.closes.length === 1, 'the close');
    expect(heard.closes).toEqual([[4001, 'maintenance']]);
    expect(heard.errors).toEqual([]);
    expect(socket.readyState).toBe(3);
  });

  it('a close of ours is a closing handshake the server sees with our code', async () => {
    const server = await wsServer();
    const { listener, heard } = listen();
    const socket = new VenueSocket(server.url, 1 << 20, listener);
    await waitFor(() => heard.events.includes('open'), 'open');
    socket.close(1000, 'client closing');
    await waitFor(() => heard.closes.length === 1 && server.closes.length === 1, 'both sides closed');
    expect(server.closes).toEqual([[1000, 'client closing']]);
    expect(heard.closes).toEqual([[1000, 'client closing']]); // ws echoes our close frame
    expect(heard.events).toEqual(['open', 'close']);
  });

  it('refuses a message over its cap as soon as the header says so, closing with 1009', async () => {
    const server = await wsServer();
    const { listener, heard } = listen();
    new VenueSocket(server.url, 1_000, listener);
    await waitFor(() => server.peers.length === 1 && heard.events.includes('open'), 'open');
    server.peers[0]!.send('small');
    server.peers[0]!.send('z'.repeat(5_000));
    await waitFor(() => heard.closes.length === 1, 'the close');
    expect(heard.messages).toEqual(['small']);
    expect(heard.errors.map((e) => e.code)).toEqual(['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH']);
    await waitFor(() => server.closes.length === 1, 'the server saw our close');
    expect(server.closes[0]![0]).toBe(1009);
  });

  it('a refused upgrade (HTTP 429) is an unexpected response, then one close, and no error', async () => {
    const http = createServer((_req, res) => {
      res.writeHead(429, { 'Retry-After': '3' });
      res.end('slow down');
    });
    let serverSocketClosed = false;
    http.on('connection', (s: Socket) => s.on('close', () => (serverSocketClosed = true)));
    const port = await started(http);
    const { listener, heard } = listen();
    const socket = new VenueSocket(`ws://127.0.0.1:${port}/ws`, 1 << 20, listener);
    await waitFor(() => heard.closes.length === 1, 'the close');
    socket.terminate(); // what the connection does on a refusal: nothing more happens
    expect(heard.statuses).toEqual([429]);
    expect(heard.events).toEqual(['unexpected-response', 'close']);
    // The TCP connection is given up at once, not left to the server's keep-alive timeout (5 s).
    await waitFor(() => serverSocketClosed, 'the server saw the connection close', { timeoutMs: 2_000 });
  });

  it('an upgrade answered with the wrong accept key is a handshake error, then one close', async () => {
    const http = createServer();
    http.on('upgrade', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n');
    });
    const port = await started(http);
    const { listener, heard } = listen();
    new VenueSocket(`ws://127.0.0.1:${port}/`, 1 << 20, listener);
    await waitFor(() => heard.closes.length === 1, 'the close');
    expect(heard.events).toEqual(['error', 'close']);
    expect(heard.errors[0]).toMatchObject({ code: 'WS_ERR_HANDSHAKE', message: 'Invalid Sec-WebSocket-Accept header' });
    expect(heard.closes).toEqual([[1006, '']]);
  });

  it('a port nobody listens on is a network error, then one close', async () => {
    const http = createServer();
    const port = await started(http);
    http.close();
    const { listener, heard } = listen();
    new VenueSocket(`ws://127.0.0.1:${port}/`, 1 << 20, listener);
    await waitFor(() => heard.closes.length === 1, 'the close');
    expect(heard.events).toEqual(['error', 'close']);
    expect(heard.errors[0]!.code).toBe('ECONNREFUSED');
  });

  it('terminating while the upgrade is pending closes once, without an error', async () => {
    const http = createServer(() => {}); // never answers
    const port = await started(http);
    const { listener, heard } = listen();
    const socket = new VenueSocket(`ws://127.0.0.1:${port}/`, 1 << 20, listener);
    socket.terminate();
    socket.terminate();
    await new Promise((done) => setTimeout(done, 50));
    expect(heard.events).toEqual(['close']);
  });

  it('throws on a URL that is not a WebSocket URL', () => {
    const { listener } = listen();
    expect(() => new VenueSocket('https://example.com/ws', 1_000, listener)).toThrow(/"ws:" or "wss:"/);
    expect(() => new VenueSocket('not a url', 1_000, listener)).toThrow();
  });
});
