/**
 * describeCause is the one error-to-text helper (the core, the API's replies, the Electron shell's
 * logs and start-up dialog): whatever was thrown, it gives readable text and never throws itself.
 */
import { describe, expect, it } from 'vitest';
import { describeCause, WHOLE_MESSAGE_CHARS } from '../../../electron/core/util/errors';

describe('describeCause', () => {
  it('gives an Error its message, with the code in front when the message does not say it', () => {
    expect(describeCause(new Error('disk gone'))).toBe('disk gone');
    expect(describeCause(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED: connect refused');
    expect(describeCause(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }))).toBe('ENOENT: no such file');
  });

  it('names an error without a message by its class', () => {
    expect(describeCause(new TypeError())).toBe('TypeError');
  });

  it('reads any other thrown value', () => {
    expect(describeCause('plain string')).toBe('plain string');
    expect(describeCause(42)).toBe('42');
    expect(describeCause(undefined)).toBe('undefined');
    expect(describeCause({ code: -1121, msg: 'Invalid symbol.' })).toBe('{"code":-1121,"msg":"Invalid symbol."}');
  });

  it('never throws, even on values JSON and String() cannot write', () => {
    const cyclic: Record<string, unknown> = { toString: 1 };
    cyclic.self = cyclic;
    expect(() => String(cyclic)).toThrow();
    expect(describeCause(cyclic)).toMatch(/^\{"toString":1,"self":\{/);
    expect(describeCause({ n: 10n })).toBe('{"n":10}');
  });

  it('cuts at maxLength, and keeps whole messages where asked', () => {
    const long = 'x'.repeat(5_000);
    expect(describeCause(new Error(long))).toBe(`${'x'.repeat(300)}...`);
    expect(describeCause(long, WHOLE_MESSAGE_CHARS)).toHaveLength(WHOLE_MESSAGE_CHARS + 3);
  });
});
