/**
 * The hand-written frame reader of the venue socket: every message comes out whole and in order
 * however the bytes are split into reads, a small frame inside a read is handed on without a copy,
 * and each protocol violation a server could commit is reported once and stops the reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameErrorCode } from '../../../electron/core/runtime/venue-socket/frame-reader';
import { runs } from '../fuzz/fuzz-kit';

/** A server frame (unmasked), as a venue sends it. */
function serverFrame(opcode: number, payload: Buffer | string, { fin = true, rsv = 0, masked = false } = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = body.length;
  const header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const out = Buffer.alloc(header + (masked ? 4 : 0) + n);
  out[0] = (fin ? 0x80 : 0) | rsv | opcode;
  out[1] = (masked ? 0x80 : 0) | (n < 126 ? n : n < 65_536 ? 126 : 127);
  if (header === 4) out.writeUInt16BE(n, 2);
  if (header === 10) out.writeBigUInt64BE(BigInt(n), 2);
  body.copy(out, header + (masked ? 4 : 0));
  return out;
}

type Seen = ['text' | 'binary', string] | ['ping', string] | ['pong'] | ['close', number, string] | ['violation', FrameErrorCode, number];

function reader(maxPayload = 1 << 20, onMessage?: (r: FrameReader) => void) {
  const seen: Seen[] = [];
  const r: FrameReader = new FrameReader(maxPayload, {
    message: (data, start, end, isBinary) => {
      seen.push([isBinary ? 'binary' : 'text', data.toString('utf8', start, end)]);
      onMessage?.(r);
    },
    ping: (payload) => seen.push(['ping', payload.toString()]),
    pong: () => seen.push(['pong']),
    close: (code, reason) => seen.push(['close', code, reason]),
    violation: (code, _message, closeCode) => seen.push(['violation', code, closeCode]),
  });
  return { r, seen };
}

/** Splits `bytes` at the given offsets (sorted, deduplicated) into reads. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const reads: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) reads.push(bytes.subarray(from, p));
    from = p;
  }
  return reads;
}

const big = 'x'.repeat(70_000);
const medium = 'é'.repeat(200);
const stream = Buffer.concat([
  serverFrame(1, '{"e":"aggTrade","a":1}'),
  serverFrame(1, ''),
  serverFrame(1, medium),
  serverFrame(9, 'are you there'),
  serverFrame(2, Buffer.from('bin')),
  serverFrame(1, 'frag-', { fin: false }),
  serverFrame(10, ''),
  serverFrame(0, 'men', { fin: false }),
  serverFrame(9, 'mid'),
  serverFrame(0, 'ted'),
  serverFrame(1, big),
  serverFrame(1, 'x'.repeat(125)),
  serverFrame(1, 'y'.repeat(126)),
  serverFrame(8, Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from('bye')])),
  serverFrame(1, 'after the close: never read'),
]);
const expected: Seen[] = [
  ['text', '{"e":"aggTrade","a":1}'],
  ['text', ''],
  ['text', medium],
  ['ping', 'are you there'],
  ['binary', 'bin'],
  ['pong'],
  ['ping', 'mid'],
  ['text', 'frag-mented'],
  ['text', big],
  ['text', 'x'.repeat(125)],
  ['text', 'y'.repeat(126)],
  ['close', 1000, 'bye'],
];

describe('FrameReader', () => {
  it('reads every message whole and in order however the stream is split into reads', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 40 }), (cuts) => {
        const { r, seen } = reader();
        for (const read of split(stream, cuts)) r.push(read);
        expect(seen).toEqual(expected);
      }),
      runs(6455, 300),
    );
  });

  it('reads a stream delivered one byte per read', () => {
    const { r, seen } = reader();
    const head = stream.subarray(0, 600);
    for (let i = 0; i < head.length; i++) r.push(head.subarray(i, i + 1));
    expect(seen.slice(0, 4)).toEqual(expected.slice(0, 4));
  });

  it('hands a frame that lies inside one read on as that read, without copying it', () => {
    const chunk = Buffer.concat([serverFrame(1, 'a'), serverFrame(1, 'bc')]);
    const ranges: [Buffer, number, number][] = [];
    const r = new FrameReader(1 << 20, { message: (d, s, e) => ranges.push([d, s, e]), ping() {}, pong() {}, close() {}, violation() {} });
    r.push(chunk);
    expect(ranges).toEqual([[chunk, 2, 3], [chunk, 5, 7]]);
    expect(ranges[0]![0]).toBe(chunk);
  });

  it('pausing inside a message stops the reading; the rest (and reads that came meanwhile) follow in order after resume', async () => {
    let pauseOnce = true;
    const { r, seen } = reader(1 << 20, (self) => {
      if (pauseOnce) {
        pauseOnce = false;
        self.pause();
      }
    });
    r.push(Buffer.concat([serverFrame(1, '1'), serverFrame(1, '2'), serverFrame(1, '3').subarray(0, 2)]));
    r.push(serverFrame(1, '3').subarray(2));
    r.push(serverFrame(1, '4'));
    expect(seen).toEqual([['text', '1']]);
    r.resume();
    expect(seen).toHaveLength(1); // not inside resume(): on the next turn
    await new Promise((done) => setImmediate(done));
    expect(seen).toEqual([['text', '1'], ['text', '2'], ['text', '3'], ['text', '4']]);
  });

  it('refuses an oversized message from its header alone, before its payload is buffered', () => {
    const { r, seen } = reader(1_000);
    r.push(serverFrame(1, 'ok'));
    r.push(serverFrame(1, 'z'.repeat(5_000)).subarray(0, 4));
    expect(seen).toEqual([['text', 'ok'], ['violation', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 1009]]);
  });

  it('counts a fragmented message whole against the size cap', () => {
    const { r, seen } = reader(1_000);
    r.push(Buffer.concat([serverFrame(1, 'a'.repeat(600), { fin: false }), serverFrame(0, 'b'.repeat(600))]));
    expect(seen).toEqual([['violation', 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 1009]]);
  });

  const violations: [string, Buffer, FrameErrorCode][] = [
    ['a masked server frame', serverFrame(1, 'hi', { masked: true }), 'WS_ERR_UNEXPECTED_MASK'],
    ['an RSV bit without an extension', serverFrame(1, 'hi', { rsv: 0x40 }), 'WS_ERR_UNEXPECTED_RSV_1'],
    ['a reserved data opcode', serverFrame(3, 'hi'), 'WS_ERR_INVALID_OPCODE'],
    ['a reserved control opcode', serverFrame(11, 'hi'), 'WS_ERR_INVALID_OPCODE'],
    ['a fragmented control frame', serverFrame(9, 'hi', { fin: false }), 'WS_ERR_EXPECTED_FIN'],
    ['a control frame over 125 bytes', serverFrame(9, 'p'.repeat(126)), 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH'],
    ['a continuation outside a message', serverFrame(0, 'hi'), 'WS_ERR_INVALID_OPCODE'],
    ['a new message inside a fragmented one', Buffer.concat([serverFrame(1, 'a', { fin: false }), serverFrame(1, 'b')]), 'WS_ERR_INVALID_OPCODE'],
    ['a close frame of one byte', serverFrame(8, Buffer.from([3])), 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH'],
    ['a close code no peer may send', serverFrame(8, Buffer.from([0x03, 0xee])), 'WS_ERR_INVALID_CLOSE_CODE'],
  ];
  it.each(violations)('reports %s once (close 1002) and reads nothing after it', (_what, bad, code) => {
    const { r, seen } = reader();
    r.push(Buffer.concat([serverFrame(1, 'before'), bad, serverFrame(1, 'after')]));
    r.push(serverFrame(1, 'later'));
    expect(seen).toEqual([['text', 'before'], ['violation', code, 1002]]);
  });

  it('reads a close frame without a code as 1005', () => {
    const { r, seen } = reader();
    r.push(serverFrame(8, ''));
    expect(seen).toEqual([['close', 1005, '']]);
  });
});
