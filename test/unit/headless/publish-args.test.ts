/** `headless --publish` and its stream flags (README "A shared ingest node"). */
import { describe, expect, it } from 'vitest';
import { parseHeadlessArgs } from '../../../electron/core/headless/args';

describe('headless args: --publish', () => {
  it('takes a nats:// or tls:// URL and the stream name, age (hours) and size (GB)', () => {
    expect(parseHeadlessArgs([]).publish).toBeNull();
    expect(parseHeadlessArgs(['--publish', 'nats://127.0.0.1:4222']).publish).toEqual({ url: 'nats://127.0.0.1:4222' });
    expect(parseHeadlessArgs(['--publish', 'tls://ingest:4222', '--publish-stream', 'DESK', '--publish-max-age', '48', '--publish-max-gb', '0.5']).publish).toEqual({
      url: 'tls://ingest:4222', stream: 'DESK', maxAgeMs: 48 * 3600_000, maxBytes: 512 * 1024 ** 2,
    });
  });

  it('refuses what it cannot use, naming the flag', () => {
    expect(() => parseHeadlessArgs(['--publish', 'ws://x:1'])).toThrow('--publish: must be a nats:// or tls:// URL');
    expect(() => parseHeadlessArgs(['--publish-stream', 'X'])).toThrow('--publish-stream needs --publish');
    expect(() => parseHeadlessArgs(['--publish', 'nats://x:1', '--publish-stream', 'a.b'])).toThrow('--publish-stream: "a.b" must be 1-64 letters');
    expect(() => parseHeadlessArgs(['--publish', 'nats://x:1', '--publish-max-age', '0'])).toThrow('--publish-max-age: "0" is not a positive number');
  });
});
