/**
 * A `nats` feed's durable consumer name: the same desktop must come back under the same name (so
 * it resumes where it stopped), two desktops must not share one (they would split the messages).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durableName } from '../../../electron/core/pipeline/sources/nats-source';

describe('nats feed durable name', () => {
  it('is kept in the data dir: the same desktop resumes under the same name, another one gets its own', () => {
    const a = join(mkdtempSync(join(tmpdir(), 'tickscope-durable-')), 'recordings');
    const b = join(mkdtempSync(join(tmpdir(), 'tickscope-durable-')), 'recordings');
    const first = durableName(undefined, 'desk', a);
    expect(first).toMatch(/^ts-[0-9a-f]{8}_desk$/);
    expect(readFileSync(join(a, '..', 'nats-client-id'), 'utf8').trim()).toBe(first.replace(/_desk$/, ''));
    expect(durableName(undefined, 'desk', a)).toBe(first);
    expect(durableName(undefined, 'desk-2', a)).toBe(first.replace(/_desk$/, '_desk-2'));
    expect(durableName(undefined, 'desk', b)).not.toBe(first);
  });

  it('is the option when given, else derived from the host without a data dir', () => {
    expect(durableName('trader-7', 'desk', '/nonexistent/recordings')).toBe('trader-7');
    expect(durableName(undefined, 'desk', null)).toMatch(/^ts-[A-Za-z0-9_-]+_desk$/);
  });
});
