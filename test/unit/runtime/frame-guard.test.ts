import { describe, expect, it } from 'vitest';
import { createEchoAdapter } from '../../helpers/echo-adapter';
import { DEFAULT_MAX_FRAME_BYTES, frameCapOf, frameTooDeep, NESTING_CHECK_MIN_BYTES, refuseFrame } from '../../../electron/core/runtime/frame-guard';
import { MB } from '../../../electron/core/util/byte-size';
import { nestingBreach } from '../../../shared/json-limits';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('nestingBreach', () => {
  it('finds the bracket that goes one level too deep, and nothing at the limit', () => {
    expect(nestingBreach(deep(64), 64)).toBe(-1);
    expect(nestingBreach(deep(65), 64)).toBe(64);
    expect(nestingBreach(`{"a":${'{"a":'.repeat(70)}1${'}'.repeat(71)}`, 64)).toBe(5 * 64);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestingBreach(`{"text":"${'['.repeat(500)}","q":"a \\" ${'{'.repeat(500)}"}`, 4)).toBe(-1);
    expect(nestingBreach(`["\\\\",${deep(10)}]`, 4)).toBe(9);
  });

  it('stops scanning at the breach (a hostile frame costs ~the limit, not its size)', () => {
    const huge = deep(5 * MB);
    // Flattened first: V8 builds the repeat/concat lazily, and that one-off copy (tens of ms on a
    // loaded machine) is the string's cost, not the scan's.
    huge.charCodeAt(huge.length - 1);
    const t = performance.now();
    expect(nestingBreach(huge, 64)).toBe(64);
    expect(performance.now() - t).toBeLessThan(50);
  });
});

describe('frame guard', () => {
  it('uses the tuning override, else the venue declaration, else 1 MB', () => {
    const echo = createEchoAdapter();
    expect(frameCapOf(echo, null)).toBe(DEFAULT_MAX_FRAME_BYTES);
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(MB);
    expect(frameCapOf({ ...echo, maxFrameBytes: 8 * MB }, null)).toBe(8 * MB);
    expect(frameCapOf({ ...echo, maxFrameBytes: 8 * MB }, 1024)).toBe(1024);
    // A nonsense declaration falls back to the default rather than to no cap.
    expect(frameCapOf({ ...echo, maxFrameBytes: Number.NaN }, null)).toBe(DEFAULT_MAX_FRAME_BYTES);
  });

  it('does not scan frames below the nesting threshold', () => {
    const small = deep(NESTING_CHECK_MIN_BYTES / 2 - 1);
    expect(frameTooDeep(small, small.length)).toBeNull();
    const big = deep(NESTING_CHECK_MIN_BYTES / 2);
    expect(frameTooDeep(big, big.length)).toMatchObject({ type: 'error', kind: 'protocol', message: 'frame nested deeper than 64 levels; dropped unparsed' });
  });

  it('names the size and the limit of a frame over the cap', () => {
    expect(refuseFrame('x'.repeat(3 * MB), 3 * MB, MB, 'Binance')).toMatchObject({ kind: 'protocol', message: 'frame of 3 MB exceeds the 1 MB frame limit for Binance; dropped' });
    expect(refuseFrame('{"ok":true}', 11, MB, 'Binance')).toBeNull();
  });
});
