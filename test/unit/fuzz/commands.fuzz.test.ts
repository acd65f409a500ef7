/**
 * Fuzz of the command schemas (shared/commands.ts): random and mutated arguments never throw out
 * of safeParse, a refusal always formats to a message naming a field, and whatever a schema
 * accepts can be sent back to a UI and saved (it serialises to JSON).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../../shared/commands';
import { formatIssues } from '../../../shared/config';
import { argsFor, COMMAND_NAMES, deepOptions, SEEDS } from './command-args';
import { runs } from './fuzz-kit';

function check(name: (typeof COMMAND_NAMES)[number], args: unknown): void {
  const r = commandSchemas[name].safeParse(args);
  if (r.success) {
    // Accepted arguments are echoed in replies and written to settings.json.
    expect(() => JSON.stringify(r.data)).not.toThrow();
  } else {
    const text = formatIssues(r.error);
    expect(typeof text).toBe('string');
    expect(text.length).toBeGreaterThan(0);
  }
}

describe('command schemas under fuzz', () => {
  it('accept every seed (the seeds are valid arguments)', () => {
    for (const name of COMMAND_NAMES) {
      for (const seed of SEEDS[name]) expect(commandSchemas[name].safeParse(seed).success, `${name} ${JSON.stringify(seed)}`).toBe(true);
    }
  });

  it.each(COMMAND_NAMES.map((n, i) => [n, i] as const))('%s: random and mutated arguments never throw out of safeParse', (name, i) => {
    fc.assert(fc.property(argsFor(name), (args) => check(name, args)), runs(9400 + i, 100));
  });

  it('deeply nested addFeed options give a plain refusal naming options, not a stack overflow', () => {
    const r = commandSchemas.addFeed.safeParse(deepOptions(10_000));
    expect(r.success).toBe(false);
    const text = formatIssues(r.error!);
    expect(text).toMatch(/^options/);
    expect(text).not.toMatch(/call stack/i);
  });
});
