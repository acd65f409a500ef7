/**
 * A venue's text frame as JSON, or the event that says why it is not: text that starts like JSON
 * is a malformed frame (a counted parse error), any other text is a notice (a proxy's "Service
 * Unavailable", a venue's plain-text message). Venues whose keepalive answer is plain text
 * (`pong`) check for it before calling this.
 */
import type { ParsedEvent } from './adapter';
import { clip } from './json-values';

export type JsonFrame = { ok: true; msg: unknown } | { ok: false; events: ParsedEvent[] };

export function readJsonFrame(frame: string, venue: string): JsonFrame {
  try {
    return { ok: true, msg: JSON.parse(frame) };
  } catch {
    const t = frame.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      return { ok: false, events: [{ type: 'error', kind: 'parse', message: `${venue}: malformed JSON frame`, cause: clip(frame, 200) }] };
    }
    return { ok: false, events: [{ type: 'notice', message: clip(frame, 200) }] };
  }
}

/**
 * `parse` behind a last guard: code that throws on input it should have checked answers a counted
 * `parser failure` error for that frame instead of throwing out of FrameParser.parse (the fuzz
 * suite treats that answer as a bug to fix, not as handling).
 */
export function guardedParse(venue: string, parse: (frame: string, receivedAt: number) => ParsedEvent[]): (frame: string, receivedAt: number) => ParsedEvent[] {
  return (frame, receivedAt) => {
    try {
      return parse(frame, receivedAt);
    } catch (err) {
      return [{ type: 'error', kind: 'parse', message: `${venue}: parser failure: ${String(err)}`, cause: clip(frame, 200) }];
    }
  };
}
