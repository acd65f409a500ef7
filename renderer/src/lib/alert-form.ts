/**
 * The Alerts panel's form as data: what the user typed (strings) -> an alert definition, checked
 * by the same schema the core applies (shared/alerts.ts), with each problem under its field.
 */
import { alertDefSchema, type AlertDef, type AlertDefInput, type AlertKind } from '../../../shared/alerts';

export interface AlertDraft {
  id: string;
  market: string;
  kind: AlertKind;
  /** price, minNotional, minDelta or seconds, by kind. */
  value: string;
  /** cvd-change, oi-change: the window, seconds. */
  window: string;
  /** oi-change: the change in percent (with or instead of `value`, base units). */
  percent: string;
  feedId: string;
  repeat: boolean;
  cooldown: string;
  note: string;
}

/** The field the kind's number goes to, and how the form labels it. */
export const VALUE_FIELD: Record<AlertKind, { field: 'price' | 'minNotional' | 'minDelta' | 'seconds'; label: string }> = {
  'price-cross': { field: 'price', label: 'Price level' },
  'large-trade': { field: 'minNotional', label: 'Min notional' },
  'large-liquidation': { field: 'minNotional', label: 'Min notional' },
  'cvd-change': { field: 'minDelta', label: 'Min CVD change' },
  'oi-change': { field: 'minDelta', label: 'Min OI change (base)' },
  'feed-stale': { field: 'seconds', label: 'Seconds down' },
  'book-invalid': { field: 'seconds', label: 'Seconds invalid' },
};

export const KIND_LABEL: Record<AlertKind, string> = {
  'price-cross': 'Price crosses',
  'large-trade': 'Large trade',
  'large-liquidation': 'Large liquidation',
  'cvd-change': 'CVD change',
  'oi-change': 'OI change',
  'feed-stale': 'Feed stale',
  'book-invalid': 'Book invalid',
};

/** Kinds that take a window besides their number (the form's "Window s"). */
export function hasWindow(kind: AlertKind): boolean {
  return kind === 'cvd-change' || kind === 'oi-change';
}

/** The panel's one-line condition: `OI change 50 or 2 % in 60 s`. */
export function conditionText(a: AlertDef): string {
  const v = a[VALUE_FIELD[a.kind].field];
  const amounts = [v === undefined ? null : String(v), a.minPercent === undefined ? null : `${a.minPercent} %`].filter((x) => x !== null);
  return `${KIND_LABEL[a.kind]} ${amounts.join(' or ')}${hasWindow(a.kind) ? ` in ${a.seconds} s` : ''}${a.feedId ? ` (${a.feedId})` : ''}`;
}

function num(s: string): number | string | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t.replace(/[,_\s]/g, ''));
  return Number.isFinite(n) ? n : t;
}

export function draftToInput(d: AlertDraft, enabled = true): AlertDefInput {
  const input: Record<string, unknown> = { id: d.id, market: d.market, kind: d.kind, [VALUE_FIELD[d.kind].field]: num(d.value) };
  if (d.kind === 'feed-stale' && d.feedId) input.feedId = d.feedId;
  if (hasWindow(d.kind)) input.seconds = num(d.window);
  if (d.kind === 'oi-change') {
    const p = num(d.percent);
    if (p !== undefined) input.minPercent = p;
  }
  if (d.repeat) {
    input.repeat = true;
    const c = num(d.cooldown);
    if (c !== undefined) input.cooldownSeconds = c;
  }
  if (!enabled) input.enabled = false;
  if (d.note.trim()) input.note = d.note.trim();
  return input as AlertDefInput;
}

/** Problems by field name (`value` for the kind's number), empty when the draft is a valid alert. */
export function draftProblems(d: AlertDraft): Record<string, string> {
  const r = alertDefSchema.safeParse(draftToInput(d));
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    const field =
      key === 'seconds' && hasWindow(d.kind)
        ? 'window'
        : key === 'minPercent'
          ? 'percent'
          : key === 'price' || key === 'minNotional' || key === 'minDelta' || key === 'seconds'
          ? 'value'
          : key === 'cooldownSeconds'
            ? 'cooldown'
            : key;
    out[field] ??= issue.code === 'invalid_type' ? 'must be a number' : issue.message;
  }
  return out;
}

export function defToDraft(a: AlertDef): AlertDraft {
  const v = a[VALUE_FIELD[a.kind].field];
  return {
    id: a.id,
    market: a.market,
    kind: a.kind,
    value: v === undefined ? '' : String(v),
    window: hasWindow(a.kind) && a.seconds !== undefined ? String(a.seconds) : '',
    percent: a.minPercent === undefined ? '' : String(a.minPercent),
    feedId: a.feedId ?? '',
    repeat: a.repeat === true,
    cooldown: a.cooldownSeconds === undefined ? '' : String(a.cooldownSeconds),
    note: a.note ?? '',
  };
}

/** `alert-1`, `alert-2`, ...: the first not taken. */
export function freeAlertId(taken: readonly { id: string }[]): string {
  const ids = new Set(taken.map((a) => a.id));
  for (let n = 1; ; n++) if (!ids.has(`alert-${n}`)) return `alert-${n}`;
}
