/**
 * The little WebSocket server side the replay needs, on a raw socket: the RFC 6455 handshake and
 * a reader for the client's (masked) frames. Data goes out as pre-packed frame bytes
 * (frames.ts), which is the point: no per-message send overhead on the server side, so the
 * client is what the benchmark measures.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { packFrames } from './frames';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Completes the upgrade (no extensions, so no permessage-deflate); false if not a WS request. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex): boolean {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return false;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  return true;
}

export interface ClientFrameHandlers {
  text(s: string): void;
  ping(payload: Buffer): void;
  close(): void;
}

/** Incremental reader of client frames (always masked); text, ping and close are reported. */
export class ClientFrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];

  constructor(private readonly on: ClientFrameHandlers) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const b = this.pending;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let o = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        o = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        o = 10;
      }
      const maskAt = o;
      if (masked) o += 4;
      if (b.length < o + len) return;
      const payload = Buffer.from(b.subarray(o, o + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ b[maskAt + (i & 3)]!;
      this.pending = b.subarray(o + len);
      this.frame(fin, opcode, payload);
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0:
      case 0x1:
        this.fragments.push(payload);
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          this.on.text(text);
        }
        return;
      case 0x8:
        this.on.close();
        return;
      case 0x9:
        this.on.ping(payload);
        return;
      default:
        return; // pong, binary: nothing to do
    }
  }
}

export function pongFrame(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x8a, payload.length]), payload]);
}

export function closeFrame(code = 1000): Buffer {
  return Buffer.from([0x88, 2, code >> 8, code & 0xff]);
}

export function textFrame(s: string): Buffer {
  return packFrames([s]);
}
