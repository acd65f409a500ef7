/**
 * Nesting depth of JSON text, measured before JSON.parse sees it. JSON.parse is iterative in V8,
 * but a document nested millions deep still costs seconds and hundreds of MB to build (a 10 MB
 * `[[[[...` frame: ~2 s and ~350 MB), and whatever walks the result next may recurse. Real venue
 * messages and REST bodies nest 3 to 6 levels; anything past MAX_JSON_DEPTH is refused unparsed.
 *
 * (shared/json-limits.ts checkJsonText does the same for UI commands, with its own limits.)
 */

/** Deepest nesting of objects/arrays accepted from a venue (frames, REST bodies, recordings). */
export const MAX_JSON_DEPTH = 64;

/**
 * The index of the bracket that takes `text` deeper than `maxDepth` (`{` and `[` outside strings),
 * or -1 when it never does. One pass with charCodeAt, stopping at the breach: a hostile frame
 * that opens with its nesting costs ~maxDepth characters, a legitimate one a linear scan.
 */
export function nestingBreach(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
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
