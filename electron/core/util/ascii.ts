/** An ASCII literal as bytes, for code that compares or copies bytes (the fast paths, NDJSON lines). */
export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
