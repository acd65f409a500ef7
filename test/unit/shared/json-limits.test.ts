import { describe, expect, it } from 'vitest';
import { checkJsonText, checkJsonValue, COMMAND_LIMITS, parseJsonLimited, type JsonLimits } from '../../../shared/json-limits';

/** `{"a":{"a":...}}` nested `depth` levels, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const small: JsonLimits = { maxDepth: 4, maxKeys: 3, maxArrayLength: 3, maxStringLength: 5, maxBytes: 200, maxNodes: 50 };

describe('checkJsonValue', () => {
  it('passes what a real command looks like', () => {
    const msg = { type: 'command', id: 1, name: 'addFeed', args: { exchange: 'simulator', symbols: ['BTC-USDT'], options: { rate: 5, fault: [{ mode: 'drop' }] }, enabled: true, url: null } };
    expect(checkJsonValue(msg, COMMAND_LIMITS)).toBeNull();
  });

  it('refuses nesting deeper than the limit, naming where, without overflowing the stack', () => {
    expect(checkJsonValue(nested(4), small)).toBeNull();
    expect(checkJsonValue(nested(5), small)).toEqual({ path: 'a.a.a.a', message: 'nested too deeply (more than 4 levels)' });
    // 200,000 levels: zod or JSON.stringify would throw "Maximum call stack size exceeded" here.
    const breach = checkJsonValue({ args: { options: nested(200_000) } }, COMMAND_LIMITS);
    expect(breach?.message).toBe('nested too deeply (more than 32 levels)');
    expect(breach?.path).toMatch(/^args\.options\.a\.a\.…\.a\.a$/);
  });

  it('refuses a cycle (caught by depth) and a shared-node graph that would expand exponentially', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(checkJsonValue(cyc, COMMAND_LIMITS)?.message).toContain('nested too deeply');
    let dag: unknown = 'x';
    for (let i = 0; i < 30; i++) dag = [dag, dag]; // 2^30 leaves through shared references
    expect(checkJsonValue(dag, COMMAND_LIMITS)?.message).toContain('too many values');
  });

  it.each([
    [{ s: 'toolong' }, 's', 'string too long (more than 5 characters)'],
    [{ a: 1, b: 2, c: 3, d: 4 }, '(root)', 'too many keys (more than 3)'],
    [{ list: [1, 2, 3, 4] }, 'list', 'too many items (more than 3)'],
    [{ toolongkey: 1 }, '(root)', 'key too long (more than 5 characters)'],
    [{ n: NaN }, 'n', 'must be a finite number'],
    [{ n: Infinity }, 'n', 'must be a finite number'],
    [{ b: 10n }, 'b', 'not a JSON value (bigint)'],
    [{ f: () => 1 }, 'f', 'not a JSON value (function)'],
    [{ u: [undefined] }, 'u[0]', 'not a JSON value (undefined)'],
    [{ d: new Date(0) }, 'd', expect.stringContaining('not a JSON value')],
    [{ m: new Map() }, 'm', expect.stringContaining('not a JSON value')],
    [{ list: [1, { x: new Uint8Array(1) }] }, 'list[1].x', expect.stringContaining('not a JSON value')],
  ])('refuses %o at %s', (value, path, message) => {
    expect(checkJsonValue(value, small)).toEqual({ path, message });
  });

  it('caps the total size', () => {
    const big = { a: 'xxxxx', b: 'xxxxx', c: ['xxxxx', 'xxxxx', 'xxxxx'] };
    expect(checkJsonValue(big, { ...small, maxBytes: 30 })?.message).toBe('message too large (more than 30 bytes)');
  });

  it('lets an undefined property through (JSON.stringify omits it; structured clone keeps it)', () => {
    expect(checkJsonValue({ type: 'cmd', args: undefined }, small)).toBeNull();
  });

  it('prefixes the path with the root name', () => {
    expect(checkJsonValue({ s: 'toolong' }, small, 'args')?.path).toBe('args.s');
  });
});

describe('checkJsonText and parseJsonLimited', () => {
  it('measures nesting before parsing, ignoring brackets inside strings', () => {
    expect(checkJsonText('{"a":"[[[[[[[[[[\\"[[[["}', small)).toBeNull();
    expect(checkJsonText('[[[[[1]]]]]', small)).toEqual({ path: '(root)', message: 'nested too deeply (more than 4 levels)' });
    expect(checkJsonText('['.repeat(100_000) + ']'.repeat(100_000), COMMAND_LIMITS)?.message).toContain('nested too deeply');
  });

  it('counts bytes as UTF-8', () => {
    expect(checkJsonText('"' + 'é'.repeat(60) + '"', { maxDepth: 4, maxBytes: 100 })?.message).toContain('too large');
    expect(checkJsonText('"' + 'e'.repeat(60) + '"', { maxDepth: 4, maxBytes: 100 })).toBeNull();
    expect(checkJsonText('x'.repeat(300), { maxDepth: 4, maxBytes: 100 })?.message).toContain('too large');
  });

  it('parses within limits and names the field otherwise', () => {
    expect(parseJsonLimited('{"a":[1,2]}', small)).toEqual({ a: [1, 2] });
    expect(() => parseJsonLimited('{"a":[1,2,3,4]}', small, 'args')).toThrow('args.a: too many items (more than 3)');
    expect(() => parseJsonLimited('{"a":', small)).toThrow(SyntaxError);
  });
});
