/**
 * Reading parsed venue JSON (frames and REST bodies) without trusting its shape. Numbers are read
 * by each venue's own helpers: venues differ in what an absent value looks like ("", a missing
 * key, 0) and whether numbers come as strings.
 */

export type JsonObject = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The start of a frame or body for an error's `cause`: at most `max` characters, marked when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
