import { describe, expect, it } from 'vitest';
import { conditionText, defToDraft, draftProblems, draftToInput, freeAlertId, type AlertDraft } from '../../../renderer/src/lib/alert-form';
import { alertDefSchema } from '../../../shared/alerts';

const draft = (patch: Partial<AlertDraft> = {}): AlertDraft => ({
  id: 'alert-1', market: 'simulator:spot:BTC-USDT', kind: 'price-cross', value: '64000', window: '', percent: '', feedId: '', repeat: false, cooldown: '', note: '', ...patch,
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

  it('oi-change: base units, percent or both, a window, a perp market; each problem under its field', () => {
    const oi = (patch: Partial<AlertDraft>) => draft({ kind: 'oi-change', market: 'bybit:perp:BTC-USDT', value: '', window: '60', ...patch });
    expect(draftProblems(oi({}))).toEqual({ value: 'oi-change alerts need minDelta or minPercent (or both)' });
    expect(draftProblems(oi({ percent: '2' }))).toEqual({});
    expect(draftProblems(oi({ value: '50', percent: 'x' }))).toEqual({ percent: 'must be a number' });
    expect(draftProblems(oi({ value: '50', window: '' }))).toEqual({ window: 'required for oi-change alerts' });
    expect(draftProblems(oi({ value: '50', percent: '2000' }))).toEqual({ percent: 'must be at most 1000 (percent)' });
    expect(draftProblems(oi({ value: '50', market: 'bybit:spot:BTC-USDT' }))).toEqual({ market: 'oi-change alerts watch a perp market (open interest)' });
    const input = draftToInput(oi({ value: '50', percent: '2', repeat: true }));
    expect(input).toEqual({ id: 'alert-1', market: 'bybit:perp:BTC-USDT', kind: 'oi-change', minDelta: 50, minPercent: 2, seconds: 60, repeat: true });
    const parsed = alertDefSchema.parse(input);
    expect(defToDraft(parsed)).toEqual(oi({ value: '50', percent: '2', repeat: true }));
    expect(conditionText(parsed)).toBe('OI change 50 or 2 % in 60 s');
    expect(conditionText(alertDefSchema.parse(draftToInput(oi({ percent: '1.5' }))))).toBe('OI change 1.5 % in 60 s');
    // The percent field belongs to oi-change only: another kind drops it.
    expect(draftToInput(draft({ percent: '2' }))).not.toHaveProperty('minPercent');
    expect(conditionText(alertDefSchema.parse(draftToInput(draft())))).toBe('Price crosses 64000');
  });

  it('a draft becomes the definition the core stores, and back', () => {
    const input = draftToInput(draft({ kind: 'large-trade', value: '250,000', repeat: true, cooldown: '0', note: ' blocks ' }), false);
    expect(input).toEqual({ id: 'alert-1', market: 'simulator:spot:BTC-USDT', kind: 'large-trade', minNotional: 250_000, repeat: true, cooldownSeconds: 0, enabled: false, note: 'blocks' });
    expect(defToDraft(alertDefSchema.parse(input))).toEqual(draft({ kind: 'large-trade', value: '250000', repeat: true, cooldown: '0', note: 'blocks' }));
    expect(freeAlertId([{ id: 'alert-1' }, { id: 'alert-3' }])).toBe('alert-2');
  });
});
