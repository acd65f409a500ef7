/**
 * Alerts through the core API: saved before they run, pushed to every UI, bad ones refused naming
 * the field; a fired alert reaches every connected UI at once and the log; a once-only alert is
 * switched off in the settings after it fired. Trades come from the built-in simulator, whose
 * BTC-USDT walk starts at 64,000.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertDef } from '../../../shared/alerts';
import type { ReplyMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { startPipeline, type Pipeline } from '../../../electron/core/pipeline/pipeline';
import { waitFor } from '../../helpers/wait-for';

let pipeline: Pipeline | null = null;
afterEach(async () => {
  await pipeline?.stop();
  pipeline = null;
});

async function setup(opts: { saveFails?: boolean } = {}) {
  pipeline = await startPipeline({
    feeds: [{ id: 'sim', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled: true, options: { rate: 200, seed: 5 } }],
    dataDir: null,
    backfill: false,
    store: false,
  });
  const saved: AlertDef[][] = [];
  const api = new CoreApi(pipeline, {
    timeframes: ['1m'],
    onAlertsChanged: async (alerts) => {
      if (opts.saveFails) throw new Error('EROFS');
      saved.push(alerts);
    },
  });
  const received: ServerMessage[] = [];
  const session = api.connect({ send: (m) => received.push(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
  let id = 0;
  const call = async (name: string, args?: unknown) => {
    const mine = ++id;
    await session.receive({ type: 'command', id: mine, name, args });
    return received.find((m): m is ReplyMessage => m.type === 'reply' && m.id === mine)!;
  };
  return { api, saved, received, call };
}

describe('alerts over the core API', () => {
  it('saveAlert saves, runs and pushes the list; a once-only alert fires to the UI and is then switched off', async () => {
    const { saved, received, call } = await setup();
    const reply = await call('saveAlert', { id: 'lvl', market: 'simulator:spot:btc-usdt', kind: 'price-cross', price: 64_000 });
    expect(reply).toMatchObject({ ok: true, result: { id: 'lvl', market: 'simulator:spot:BTC-USDT' } });
    expect(saved[0]).toEqual([{ id: 'lvl', market: 'simulator:spot:BTC-USDT', kind: 'price-cross', price: 64_000 }]);
    expect(received.find((m) => m.type === 'alerts')).toEqual({ type: 'alerts', alerts: saved[0] });

    await waitFor(() => received.some((m) => m.type === 'alert'), 'the alert fires', { timeoutMs: 20_000 });
    const fired = received.filter((m) => m.type === 'alert');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ id: 'lvl', kind: 'price-cross', market: 'simulator:spot:BTC-USDT' });
    await waitFor(() => saved.length === 2, 'the once-only alert is switched off');
    expect(saved[1]).toEqual([{ ...saved[0]![0], enabled: false }]);
    const list = await call('listAlerts', {});
    expect(list.result).toEqual({ alerts: saved[1], log: fired });
  });

  it('refuses a bad alert naming the field, and an unsaved change changes nothing', async () => {
    const { call } = await setup({ saveFails: true });
    const bad = await call('saveAlert', { id: 'x', market: 'simulator:spot:BTC-USDT', kind: 'large-trade' });
    expect(bad).toMatchObject({ ok: false, error: 'minNotional: required for large-trade alerts' });
    const unsaved = await call('saveAlert', { id: 'x', market: 'simulator:spot:BTC-USDT', kind: 'large-trade', minNotional: 5 });
    expect(unsaved.ok).toBe(false);
    expect(unsaved.error).toContain('could not be saved');
    expect((await call('listAlerts', {})).result).toEqual({ alerts: [], log: [] });
    expect(await call('removeAlert', { id: 'x' })).toMatchObject({ ok: false, error: 'id: no alert "x"' });
  });
});
