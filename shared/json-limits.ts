/**
 * Size and shape limits for untrusted JSON-like input, checked BEFORE any schema sees it.
 *
 * Why before: zod, JSON.stringify and structured clone all recurse, so a value nested 100,000
 * levels deep (a 256 KB frame is enough) overflows the stack in whichever of them touches it
 * first: a validation error that reads "Maximum call stack size exceeded", or worse a reply or
 * hello that can never be serialised. These checks are iterative (an explicit stack, no
 * recursion) and stop at the first breach, so they cost O(limit) whatever the input is.
 *
 * Plain TypeScript: no Node and no DOM imports (shared/ runs in the core and the renderer).
 */

export interface JsonLimits {
  /** Deepest nesting of objects and arrays; the root value is depth 0, its children 1, ... */
  maxDepth: number;
  /** Most keys in one object. */
  maxKeys: number;
  /** Most items in one array. */
  maxArrayLength: number;
  /** Longest string (keys and values), in UTF-16 code units. */
  maxStringLength: number;
  /** Approximate serialised size, bytes (JSON text length; non-ASCII counted as 1). */
  maxBytes: number;
  /** Most values in total (guards against a small object graph that shares nodes many times). */
  maxNodes: number;
}

/**
 * Limits for one UI -> core command message. A feed config is ~12 keys and at most 1,000
 * symbols; nothing legitimate comes near these, and 256 KiB is the web host's frame cap.
 */
export const COMMAND_LIMITS: JsonLimits = {
  maxDepth: 32,
  maxKeys: 256,
  maxArrayLength: 10_000,
  maxStringLength: 16 * 1024,
  maxBytes: 256 * 1024,
  maxNodes: 50_000,
};

/** A breach: `path` names the field (`args.options.a.b`), `message` says what was wrong. */
export interface LimitBreach {
  path: string;
  message: string;
}

/**
 * `args.options[3].x`-style path, from the root name and keys/indices. Kept short: a breach at
 * depth 32 under 16 KB keys must not produce a megabyte of error text.
 */
function pathText(root: string, parts: readonly (string | number)[]): string {
  const shown = parts.length > 8 ? [...parts.slice(0, 4), '…', ...parts.slice(-2)] : parts;
  let out = root;
  for (const p of shown) {
    const key = typeof p === 'string' && p.length > 40 ? `${p.slice(0, 40)}…` : p;
    out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  }
  return out || '(root)';
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Walks a parsed value (JSON.parse output or a structured clone) and returns the first breach of
 * `limits`, or null. Anything JSON cannot carry (functions, symbols, bigint, NaN,
 * Infinity, Dates, Maps, typed arrays, class instances) is a breach too, so what passes is
 * exactly what JSON.stringify can write back (undefined only as an object property, which it
 * omits). Cycles are caught by maxDepth.
 */
export function checkJsonValue(value: unknown, limits: JsonLimits, root = ''): LimitBreach | null {
  // Each stack entry: the value and its path (kept as an array of parts; built into text only on a breach).
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  let nodes = 0;
  let bytes = 0;
  const breach = (path: (string | number)[], message: string): LimitBreach => ({ path: pathText(root, path), message });
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (++nodes > limits.maxNodes) return breach(path, `too many values (more than ${limits.maxNodes} in the whole message)`);
    if (v === null || typeof v === 'boolean') {
      bytes += 5;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return breach(path, 'must be a finite number');
      bytes += 8;
    } else if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) return breach(path, `string too long (more than ${limits.maxStringLength} characters)`);
      bytes += v.length + 2;
    } else if (typeof v === 'object') {
      if (path.length >= limits.maxDepth) return breach(path, `nested too deeply (more than ${limits.maxDepth} levels)`);
      if (Array.isArray(v)) {
        if (v.length > limits.maxArrayLength) return breach(path, `too many items (more than ${limits.maxArrayLength})`);
        bytes += 2 + v.length;
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      } else {
        if (!isPlainObject(v)) return breach(path, 'not a JSON value (only objects, arrays, strings, numbers, booleans and null)');
        const keys = Object.keys(v);
        if (keys.length > limits.maxKeys) return breach(path, `too many keys (more than ${limits.maxKeys})`);
        bytes += 2;
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i]!;
          if (k.length > limits.maxStringLength) return breach(path, `key too long (more than ${limits.maxStringLength} characters)`);
          const child = (v as Record<string, unknown>)[k];
          // An undefined property is what JSON.stringify leaves out (and structured clone keeps,
          // e.g. `args: undefined` from the renderer): harmless, so allowed and skipped.
          if (child === undefined) continue;
          bytes += k.length + 4;
          stack.push({ v: child, path: [...path, k] });
        }
      }
    } else {
      return breach(path, `not a JSON value (${typeof v})`);
    }
    if (bytes > limits.maxBytes) return breach(path, `message too large (more than ${limits.maxBytes} bytes)`);
  }
  return null;
}

/**
 * Deepest nesting of objects/arrays accepted from a venue: WebSocket frames, REST bodies and
 * recorded lines. Real venue messages nest 3 to 6 levels; anything deeper is refused unparsed.
 */
export const VENUE_JSON_MAX_DEPTH = 64;

/**
 * The index of the bracket that takes JSON `text` deeper than `maxDepth` (`{` and `[` outside
 * strings), or -1 when it never does. Measured before JSON.parse sees the text: JSON.parse is
 * iterative in V8, but a document nested millions deep still costs seconds and hundreds of MB to
 * build (a 10 MB `[[[[...` frame: ~2 s and ~350 MB), and whatever walks the result next may
 * recurse. One pass with charCodeAt, stopping at the breach: a hostile text that opens with its
 * nesting costs ~maxDepth characters, a legitimate one a linear scan. The one depth scan of the
 * code base: venue input (frames, REST bodies, recordings) and UI commands (checkJsonText) alike.
 */
export function nestingBreach(text: string, maxDepth: number = VENUE_JSON_MAX_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string: brackets inside it are text. An unterminated one ends the scan.
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return -1;
}

/**
 * Checks JSON text before JSON.parse: its length and its nesting depth (nestingBreach). JSON.parse
 * itself is iterative in V8, but whatever walks its result next is not; refusing here also spares
 * the allocation of a huge tree.
 */
export function checkJsonText(text: string, limits: Pick<JsonLimits, 'maxDepth' | 'maxBytes'>): LimitBreach | null {
  // UTF-8 takes at least one byte per UTF-16 unit and at most three: only texts in between need
  // the exact count.
  if (text.length > limits.maxBytes || (text.length * 3 > limits.maxBytes && byteLength(text) > limits.maxBytes)) {
    return { path: '(root)', message: `message too large (more than ${limits.maxBytes} bytes)` };
  }
  if (nestingBreach(text, limits.maxDepth) >= 0) {
    return { path: '(root)', message: `nested too deeply (more than ${limits.maxDepth} levels)` };
  }
  return null;
}

/** UTF-8 byte length, without encoding the text (no TextEncoder/Buffer copy). */
function byteLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * JSON.parse with the checks above on both sides: text limits before parsing, value limits
 * after (keys, strings, arrays). Throws an Error whose message names the field.
 */
export function parseJsonLimited(text: string, limits: JsonLimits, root = ''): unknown {
  const before = checkJsonText(text, limits);
  if (before) throw new Error(`${before.path}: ${before.message}`);
  const value = JSON.parse(text) as unknown;
  const after = checkJsonValue(value, limits, root);
  if (after) throw new Error(`${after.path}: ${after.message}`);
  return value;
}
