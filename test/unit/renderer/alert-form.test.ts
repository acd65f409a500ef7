import { describe, expect, it } from 'vitest';
import { defToDraft, draftProblems, draftToInput, freeAlertId, type AlertDraft } from '../../../renderer/src/lib/alert-form';
import { alertDefSchema } from '../../../shared/alerts';

const draft = (patch: Partial<AlertDraft> = {}): AlertDraft => ({
  id: 'alert-1', market: 'simulator:spot:BTC-USDT', kind: 'price-cross', value: '64000', window: '', feedId: '', repeat: false, cooldown: '', note: '', ...patch,
});

describe('Alerts panel form (renderer/src/lib/alert-form.ts)', () => {
  it('problems sit under the field the user typed in, as the core would refuse them', () => {
    expect(draftProblems(draft())).toEqual({});
    expect(draftProblems(draft({ value: 'abc' }))).toEqual({ value: 'must be a number' });
    expect(draftProblems(draft({ value: '' }))).toEqual({ value: 'required for price-cross alerts' });
    expect(draftProblems(draft({ value: '-5' }))).toEqual({ value: 'must be greater than 0 (the level)' });
    expect(draftProblems(draft({ kind: 'feed-stale', value: '100000' }))).toEqual({ value: 'must be at most 86400 (a day)' });
    expect(draftProblems(draft({ repeat: true, cooldown: '-1' }))).toEqual({ cooldown: 'must be 0 or more' });
    expect(Object.keys(draftProblems(draft({ market: '' })))).toEqual(['market']);
    expect(draftProblems(draft({ kind: 'cvd-change', value: '5' }))).toEqual({ window: 'required for cvd-change alerts' });
    expect(draftToInput(draft({ kind: 'cvd-change', value: '5', window: '30' }))).toMatchObject({ kind: 'cvd-change', minDelta: 5, seconds: 30 });
  });

  it('a draft becomes the definition the core stores, and back', () => {
    const input = draftToInput(draft({ kind: 'large-trade', value: '250,000', repeat: true, cooldown: '0', note: ' blocks ' }), false);
    expect(input).toEqual({ id: 'alert-1', market: 'simulator:spot:BTC-USDT', kind: 'large-trade', minNotional: 250_000, repeat: true, cooldownSeconds: 0, enabled: false, note: 'blocks' });
    expect(defToDraft(alertDefSchema.parse(input))).toEqual(draft({ kind: 'large-trade', value: '250000', repeat: true, cooldown: '0', note: 'blocks' }));
    expect(freeAlertId([{ id: 'alert-1' }, { id: 'alert-3' }])).toBe('alert-2');
  });
});
