/**
 * A venue's value as text, for error and notice messages: never throws, and costs at most a few
 * hundred characters of work whatever the value's size or depth.
 *
 * Frames are untrusted: String() or a template literal throws on an object whose toString is not
 * a function (`{"toString":1}` -> "Cannot convert object to primitive value"), and String(),
 * join() and JSON.stringify() of a deeply nested array overflow the stack (and the overflow
 * alone took ~10 ms a frame). Parsers that used them on values they had not type-checked threw
 * out of parse() (found by test/unit/fuzz). Only error paths and ids call this; a string comes
 * back whole, a number or boolean as String() gives it, anything else as bounded JSON-like text.
 */
const MAX_CHARS = 300;
const MAX_DEPTH = 8;

export function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  const out = { text: '' };
  write(v, 0, out);
  return out.text.length >= MAX_CHARS ? `${out.text.slice(0, MAX_CHARS)}...` : out.text;
}

function write(v: unknown, depth: number, out: { text: string }): void {
  if (typeof v === 'string') {
    out.text += JSON.stringify(v.length > MAX_CHARS ? v.slice(0, MAX_CHARS) : v);
    return;
  }
  if (v === null || typeof v !== 'object') {
    out.text += String(v);
    return;
  }
  const array = Array.isArray(v);
  if (depth >= MAX_DEPTH) {
    out.text += array ? '[...]' : '{...}';
    return;
  }
  out.text += array ? '[' : '{';
  let first = true;
  // for-in with an early stop: Object.keys of a huge object would copy every key first.
  for (const k in v as object) {
    if (out.text.length >= MAX_CHARS) break;
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (!first) out.text += ',';
    first = false;
    if (!array) out.text += `${JSON.stringify(k)}:`;
    write((v as Record<string, unknown>)[k], depth + 1, out);
  }
  out.text += array ? ']' : '}';
}
