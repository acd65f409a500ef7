/**
 * RFC 6455 frames from a server, read straight out of the socket's chunks.
 *
 * Why by hand and not `ws`'s Receiver: this is the hottest loop of the app. A Binance aggTrade
 * frame is ~200 bytes with one trade, so per-frame overhead is most of the cost. ws copies or
 * slices each frame into Buffers of its own (three allocations per small frame: header, length,
 * payload) and emits an event per frame; on the headless bench that was ~25% of the ingest
 * thread. Here an unfragmented frame that lies inside one chunk is handed on as (chunk, start,
 * end) with no allocation; only a frame split across chunks or fragments is copied, once.
 *
 * What a client must check is checked (a server frame is never masked, no RSV bits without an
 * extension, control frames are final and at most 125 bytes, continuation only inside a message,
 * the size cap from the header before the payload is buffered); a violation stops the reader and
 * is reported once with ws's error codes, so the connection classifies it the same way. Text is
 * not UTF-8-validated: see connection.ts (a bad byte costs one frame, not the connection).
 */

import { OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT } from './opcodes';

/** ws's error codes for the same violations (connection.ts classifies on the WS_ERR_ prefix). */
export type FrameErrorCode =
  | 'WS_ERR_UNEXPECTED_MASK'
  | 'WS_ERR_UNEXPECTED_RSV_1'
  | 'WS_ERR_INVALID_OPCODE'
  | 'WS_ERR_EXPECTED_FIN'
  | 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH'
  | 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
  | 'WS_ERR_INVALID_CLOSE_CODE';

export interface FrameSink {
  /** A whole text or binary message: bytes [start, end) of `data`, valid only during the call. */
  message(data: Buffer, start: number, end: number, isBinary: boolean): void;
  /** The ping's payload, valid only during the call (the pong is written from it at once). */
  ping(payload: Buffer): void;
  pong(): void;
  /** The peer's close frame (1005 when it carried no code); nothing is read after it. */
  close(code: number, reason: string): void;
  /** The peer broke the protocol; nothing is read after it. `closeCode` is what to answer with. */
  violation(code: FrameErrorCode, message: string, closeCode: number): void;
}


export class FrameReader {
  /** Bytes of an incomplete frame (or, while paused, of unread frames), in arrival order. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** How many pending bytes the next step needs (a header, or header + payload). */
  private need = 0;
  private fragments: Buffer[] | null = null;
  private fragmentBytes = 0;
  private fragmentBinary = false;
  private paused = false;
  private stopped = false;

  constructor(
    /** Largest message accepted (a fragmented message counts whole). */
    private readonly maxPayload: number,
    private readonly sink: FrameSink,
  ) {}

  push(chunk: Buffer): void {
    let rest = chunk;
    while (this.pendingBytes > 0 && !this.stopped) {
      // Paused (or resumed, and the kept frames not read yet): keep arrival order.
      if (this.paused || this.need === 0) {
        this.keep(rest);
        if (!this.paused) this.readPending();
        return;
      }
      // A frame split across reads: join its start with just the bytes it still needs (not the
      // whole new read, which would copy ~64 KB per read), then read the rest in place.
      const take = this.need - this.pendingBytes;
      if (rest.length < take) {
        this.keep(rest);
        return;
      }
      this.keep(rest.subarray(0, take));
      rest = rest.subarray(take);
      this.readPending();
    }
    if (rest.length > 0 && !this.stopped) this.read(rest);
  }

  /** Stops handing out frames after the current one; bytes that arrive meanwhile are kept. */
  pause(): void {
    this.paused = true;
  }

  /** Frames kept while paused are read on the next turn (after the caller has finished). */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.pendingBytes === 0) return;
    setImmediate(() => {
      if (!this.paused && !this.stopped && this.pendingBytes > 0 && this.pendingBytes >= this.need) this.readPending();
    });
  }

  /** Nothing more is read or reported (the socket is going away). */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.fragments = null;
  }

  private readPending(): void {
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.need = 0;
    this.read(buf);
  }

  private read(buf: Buffer): void {
    const length = buf.length;
    let at = 0;
    while (at < length && !this.paused && !this.stopped) {
      const available = length - at;
      if (available < 2) {
        this.need = 2;
        break;
      }
      const b0 = buf[at]!;
      const b1 = buf[at + 1]!;
      let payload = b1 & 0x7f;
      let header = 2;
      if (payload === 126) {
        header = 4;
        if (available < header) {
          this.need = header;
          break;
        }
        payload = buf.readUInt16BE(at + 2);
      } else if (payload === 127) {
        header = 10;
        if (available < header) {
          this.need = header;
          break;
        }
        payload = buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6);
      }
      if (!this.headerIsValid(b0, b1, payload)) return;
      if (available < header + payload) {
        this.need = header + payload;
        break;
      }
      const start = at + header;
      at = start + payload;
      this.frame(b0, buf, start, at);
    }
    if (this.paused) this.need = 0;
    if (at < length && !this.stopped) this.keep(at === 0 ? buf : buf.subarray(at));
  }

  private keep(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private headerIsValid(b0: number, b1: number, payload: number): boolean {
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (b1 & 0x80) return this.fail('WS_ERR_UNEXPECTED_MASK', 'MASK must be clear', 1002);
    if (b0 & 0x70) return this.fail('WS_ERR_UNEXPECTED_RSV_1', 'RSV1, RSV2 and RSV3 must be clear', 1002);
    if (opcode >= OP_CLOSE) {
      if (opcode > OP_PONG) return this.fail('WS_ERR_INVALID_OPCODE', `invalid opcode ${opcode}`, 1002);
      if (!fin) return this.fail('WS_ERR_EXPECTED_FIN', 'FIN must be set on a control frame', 1002);
      if (payload > 125) return this.fail('WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', `invalid payload length ${payload}`, 1002);
      return true;
    }
    if (opcode > OP_BINARY) return this.fail('WS_ERR_INVALID_OPCODE', `invalid opcode ${opcode}`, 1002);
    if (opcode === OP_CONTINUATION && this.fragments === null) return this.fail('WS_ERR_INVALID_OPCODE', 'continuation frame outside a message', 1002);
    if (opcode !== OP_CONTINUATION && this.fragments !== null) return this.fail('WS_ERR_INVALID_OPCODE', `opcode ${opcode} inside a fragmented message`, 1002);
    if (payload + this.fragmentBytes > this.maxPayload) return this.fail('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'Max payload size exceeded', 1009);
    return true;
  }

  private frame(b0: number, buf: Buffer, start: number, end: number): void {
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode === OP_TEXT || opcode === OP_BINARY) {
      if (fin) this.sink.message(buf, start, end, opcode === OP_BINARY);
      else {
        // Copied: the chunk it lies in is not ours to keep.
        this.fragments = [Buffer.from(buf.subarray(start, end))];
        this.fragmentBytes = end - start;
        this.fragmentBinary = opcode === OP_BINARY;
      }
      return;
    }
    if (opcode === OP_CONTINUATION) {
      const parts = this.fragments!;
      parts.push(Buffer.from(buf.subarray(start, end)));
      this.fragmentBytes += end - start;
      if (!fin) return;
      const whole = Buffer.concat(parts, this.fragmentBytes);
      this.fragments = null;
      this.fragmentBytes = 0;
      this.sink.message(whole, 0, whole.length, this.fragmentBinary);
      return;
    }
    if (opcode === OP_PING) this.sink.ping(buf.subarray(start, end));
    else if (opcode === OP_PONG) this.sink.pong();
    else this.closeFrame(buf, start, end);
  }

  private closeFrame(buf: Buffer, start: number, end: number): void {
    if (end - start === 1) {
      this.fail('WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', 'invalid payload length 1', 1002);
      return;
    }
    const code = end - start === 0 ? 1005 : buf.readUInt16BE(start);
    if (code !== 1005 && !isValidCloseCode(code)) {
      this.fail('WS_ERR_INVALID_CLOSE_CODE', `invalid status code ${code}`, 1002);
      return;
    }
    const reason = end - start > 2 ? buf.toString('utf8', start + 2, end) : '';
    this.stop();
    this.sink.close(code, reason);
  }

  private fail(code: FrameErrorCode, message: string, closeCode: number): false {
    this.stop();
    this.sink.violation(code, message, closeCode);
    return false;
  }
}

/** The codes a peer may send (RFC 6455 7.4, as ws accepts them). */
function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
