/**
 * A WebSocket client for venue feeds: the opening handshake over node:http(s), frames read by
 * FrameReader (why by hand: see there), frames written by frame-writer. It does what the feed
 * needs of a client and nothing else: no extensions (permessage-deflate is never offered), no
 * subprotocols, no redirects. Servers (web host, simulator) and the bench's ceiling client
 * still use `ws`.
 *
 * Its events follow ws's, so the connection reads the same way: an error during the handshake
 * comes before the close; a refused upgrade is `onUnexpectedResponse` (and then the close); a
 * socket error after the open is not an error event, only a close with 1006; `onClose` comes
 * exactly once, with the peer's close code, or 1006 when there was none.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { FrameReader, type FrameErrorCode, type FrameSink } from './frame-reader';
import { clientFrame, closePayload } from './frame-writer';
import { OP_CLOSE, OP_PING, OP_PONG, OP_TEXT } from './opcodes';

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;

export interface VenueSocketListener {
  onOpen(): void;
  /** The server answered the upgrade with a plain HTTP response (a 429, a 404...). */
  onUnexpectedResponse(res: IncomingMessage): void;
  /** A read from the socket arrived; the messages it completes follow (one clock read per read). */
  onRead(): void;
  /** Bytes [start, end) of `data` are the message; `data` is valid only during the call. */
  onMessage(data: Buffer, start: number, end: number, isBinary: boolean): void;
  onPing(): void;
  onPong(): void;
  /** Handshake failures and protocol violations, with ws's codes where ws has one. */
  onError(err: Error & { code?: string }): void;
  onClose(code: number, reason: string): void;
}

/** RFC 6455 4.2.2: the server proves it read our key. */
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A closing handshake the server never finishes is cut after this (ws's default too). */
const CLOSE_TIMEOUT_MS = 30_000;

export class VenueSocket {
  readyState = CONNECTING;
  private request: ClientRequest | null;
  private socket: Socket | null = null;
  private readonly reader: FrameReader;
  private closeFrameSent = false;
  private closeFrameReceived = false;
  private closeCode = 1006;
  private closeReason = '';
  private closeTimer: NodeJS.Timeout | null = null;
  private readonly key = randomBytes(16).toString('base64');

  /** Throws on a URL that is not ws:// or wss:// (a config error, never retried). */
  constructor(url: string, maxPayload: number, private readonly listener: VenueSocketListener) {
    const target = new URL(url);
    if (target.protocol !== 'ws:' && target.protocol !== 'wss:') throw new SyntaxError(`The URL's protocol must be "ws:" or "wss:", not "${target.protocol}"`);
    const secure = target.protocol === 'wss:';
    const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
    const request = secure ? httpsRequest : httpRequest;
    this.reader = new FrameReader(maxPayload, this.frameSink());
    this.request = request({
      host,
      port: target.port || (secure ? 443 : 80),
      // So the Host header leaves out the scheme's own port (`stream.bybit.com`, not `...:443`),
      // as browsers and ws send it: some front ends route on the exact Host.
      defaultPort: secure ? 443 : 80,
      path: `${target.pathname}${target.search}`,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': this.key,
      },
      // A socket of its own, never an agent's pooled one: it becomes the WebSocket.
      createConnection: (o) => (secure ? tlsConnect({ ...(o as ConnectionOptions), servername: isIP(host) ? '' : host }) : netConnect(o as { host: string; port: number })),
    });
    this.request.on('upgrade', (res, socket: Socket, head: Buffer) => this.upgraded(res, socket, head));
    this.request.on('response', (res) => {
      this.readyState = CLOSING;
      this.listener.onUnexpectedResponse(res);
      // Its headers were all the listener needed: the request and its socket go, then the close.
      this.abortHandshake();
    });
    this.request.on('error', (err) => {
      if (this.readyState === CLOSED) return;
      this.request = null;
      this.readyState = CLOSING;
      this.listener.onError(err);
      this.finish();
    });
    this.request.end();
  }

  send(text: string): void {
    if (this.readyState === OPEN) this.socket!.write(clientFrame(OP_TEXT, Buffer.from(text, 'utf8')));
  }

  ping(): void {
    if (this.readyState === OPEN) this.socket!.write(clientFrame(OP_PING, Buffer.alloc(0)));
  }

  pause(): void {
    this.reader.pause();
    this.socket?.pause();
  }

  resume(): void {
    this.reader.resume();
    this.socket?.resume();
  }

  /** The closing handshake: our close frame, then the peer's, then the TCP close. */
  close(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    if (this.socket === null) {
      this.abortHandshake();
      return;
    }
    this.sendClose(code, reason);
    // The peer's close frame must be read even if the feed had paused reading.
    this.resume();
  }

  /** Cuts the socket at once (no closing handshake). */
  terminate(): void {
    if (this.readyState === CLOSED) return;
    if (this.socket === null) {
      this.abortHandshake();
      return;
    }
    this.readyState = CLOSING;
    this.reader.stop();
    this.socket!.destroy();
  }

  private abortHandshake(): void {
    this.readyState = CLOSING;
    const request = this.request;
    this.request = null;
    request?.destroy();
    this.finish();
  }

  private upgraded(res: IncomingMessage, socket: Socket, head: Buffer): void {
    this.request = null;
    if (this.readyState !== CONNECTING) {
      socket.destroy();
      return;
    }
    const refusal = this.checkUpgrade(res);
    if (refusal) {
      socket.destroy();
      this.readyState = CLOSING;
      this.listener.onError(Object.assign(new Error(refusal), { code: 'WS_ERR_HANDSHAKE' }));
      this.finish();
      return;
    }
    this.socket = socket;
    socket.setTimeout(0);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.listener.onRead();
      this.reader.push(chunk);
    });
    socket.on('end', () => {
      this.readyState = CLOSING;
      socket.end();
    });
    // ws's choice: a socket error after the open is the close (1006), not an error event.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.finish());
    this.readyState = OPEN;
    this.listener.onOpen();
    if (head.length > 0) {
      this.listener.onRead();
      this.reader.push(head);
    }
  }

  private checkUpgrade(res: IncomingMessage): string | null {
    if (res.headers.upgrade?.toLowerCase() !== 'websocket') return 'Invalid Upgrade header';
    const accept = createHash('sha1').update(this.key + ACCEPT_GUID).digest('base64');
    if (res.headers['sec-websocket-accept'] !== accept) return 'Invalid Sec-WebSocket-Accept header';
    if (res.headers['sec-websocket-extensions'] !== undefined) return 'Server sent a Sec-WebSocket-Extensions header but no extension was requested';
    if (res.headers['sec-websocket-protocol'] !== undefined) return 'Server sent a subprotocol but none was requested';
    return null;
  }

  private frameSink(): FrameSink {
    return {
      message: (data, start, end, isBinary) => this.listener.onMessage(data, start, end, isBinary),
      ping: (payload) => {
        if (this.readyState === OPEN) this.socket!.write(clientFrame(OP_PONG, payload));
        this.listener.onPing();
      },
      pong: () => this.listener.onPong(),
      close: (code, reason) => {
        this.closeFrameReceived = true;
        this.closeCode = code;
        this.closeReason = reason;
        this.sendClose(code, '');
      },
      violation: (code: FrameErrorCode, message, closeCode) => {
        this.listener.onError(Object.assign(new Error(message), { code }));
        this.sendClose(closeCode, '');
      },
    };
  }

  private sendClose(code: number, reason: string): void {
    const socket = this.socket!;
    if (!this.closeFrameSent) {
      this.closeFrameSent = true;
      this.readyState = CLOSING;
      if (!socket.destroyed) socket.write(clientFrame(OP_CLOSE, closePayload(code, reason)));
    }
    if (this.closeFrameReceived) socket.end();
    if (this.closeTimer === null) {
      this.closeTimer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
      this.closeTimer.unref();
    }
  }

  private finish(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.reader.stop();
    if (this.closeTimer !== null) clearTimeout(this.closeTimer);
    this.listener.onClose(this.closeCode, this.closeReason);
  }
}
