/** Comparison for the fast-path differential tests (a hand-written scanner against JSON.parse). */
import { expect } from 'vitest';
import type { ParsedEvent } from '../../electron/core/adapters/adapter';

/**
 * Same keys in the same order, values compared with Object.is (so -0 differs from 0); arrays and
 * objects (a book's levels) compared the same way, element by element.
 */
export function sameEvents(a: readonly ParsedEvent[], b: readonly ParsedEvent[]): boolean {
  return same(a, b);
}

function same(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const ox = x as Record<string, unknown>;
  const oy = y as Record<string, unknown>;
  const kx = Object.keys(ox);
  const ky = Object.keys(oy);
  if (kx.join() !== ky.join()) return false;
  for (const k of kx) if (!same(ox[k], oy[k])) return false;
  return true;
}

/**
 * The differential check: a scanner's answer is null (declined) or exactly the general path's, and
 * parse() as a whole gives the general path's answer. Returns whether the scanner took the frame.
 */
export function expectAgrees(frame: string, fast: ParsedEvent[] | null, general: ParsedEvent[], viaParse: ParsedEvent[]): boolean {
  if (fast !== null && !sameEvents(fast, general)) expect({ frame, fast }).toStrictEqual({ frame, fast: general });
  if (!sameEvents(viaParse, general)) expect({ frame, parse: viaParse }).toStrictEqual({ frame, parse: general });
  return fast !== null;
}
