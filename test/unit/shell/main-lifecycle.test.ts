/**
 * The Electron main process's lifecycle with `electron` mocked and a stand-in core: a second
 * launch brings the first window forward, the app:// handler answers bad paths instead of
 * throwing, and failures of voided promises (a window load, a command, the core's stop on quit)
 * are handled: logged, the app still quits, nothing is left unhandled.
 */
import { describe, expect, it, vi, type Mock } from 'vitest';
import type { Transport } from '../../../electron/core/api/core-api';
import { fake, FakeWindow, frame } from './fake-electron';
import { waitFor } from '../../helpers/wait-for';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const core = vi.hoisted(() => ({
  transports: [] as Transport[],
  sessions: [] as { receive: Mock; close: Mock }[],
  stop: null as unknown as Mock,
}));

vi.mock('../../../electron/core/app', async () => {
  const { vi } = await import('vitest');
  core.stop = vi.fn(() => Promise.reject(new Error('bar store: database is locked')));
  return {
    startCoreApp: vi.fn(async () => ({
      api: {
        connect: (t: Transport) => {
          core.transports.push(t);
          const session = { receive: vi.fn(() => Promise.reject(new Error('handler exploded'))), close: vi.fn() };
          core.sessions.push(session);
          return session;
        },
      },
      pipeline: { onAlert: vi.fn() },
      stop: core.stop,
    })),
  };
});

describe('Electron main: lifecycle and failure handling', async () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  // The first window's load fails (e.g. ERR_ABORTED): the rejection must be handled, not left.
  fake.loadURLResult = () => Promise.reject(new Error('ERR_FAILED (-2) loading app://tickscope/index.html'));
  await import('../../../electron/main/index');
  fake.ready();
  const win = await waitFor(() => FakeWindow.all[0], 'the window');

  it('takes the single-instance lock and opens one window', () => {
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(fake.app.quit).not.toHaveBeenCalled();
    expect(FakeWindow.all).toHaveLength(1);
  });

  it('logs a window load that fails instead of leaving the rejection unhandled', async () => {
    await waitFor(() => errors.mock.calls.some((c) => String(c[0]).includes('could not load the UI')), 'the load error logged');
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('ERR_FAILED'));
  });

  it('brings the first window forward (restored from minimized) when a second instance starts', () => {
    win.minimized = true;
    fake.emitApp('second-instance', {}, ['tickscope'], '/');
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(FakeWindow.all).toHaveLength(1);
  });

  it('answers an undecodable app:// path with 400 rather than rejecting', async () => {
    const handle = fake.protocolHandlers.get('app')!;
    const res = await handle(new Request('app://tickscope/%zz'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect((await handle(new Request('app://tickscope/..%2f..%2fpackage.json'))).status).toBe(403);
  });

  it('catches a command whose handling rejects, and a port that cannot be handed over', async () => {
    const page = frame('app://tickscope/index.html');
    fake.ipcHandlers.get('tickscope:request-port')!({ sender: { id: win.webContents.id, mainFrame: page }, senderFrame: page });
    fake.ports.at(-1)!.fromPage({ type: 'command', id: 1, name: 'listFeeds' });
    await waitFor(() => errors.mock.calls.some((c) => String(c[0]).includes('handler exploded')), 'the failure logged');

    // The frame went away between the request and the hand-over: the session must not leak.
    const gone = { url: 'app://tickscope/index.html', postMessage: () => { throw new Error('Render frame was disposed'); } };
    fake.ipcHandlers.get('tickscope:request-port')!({ sender: { id: win.webContents.id, mainFrame: gone }, senderFrame: gone });
    expect(core.sessions.at(-1)!.close).toHaveBeenCalled();
    expect(fake.ports.at(-1)!.closed).toBe(true);
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('Render frame was disposed'));

    // A frame already destroyed (senderFrame null) gets no session at all.
    const before = core.sessions.length;
    fake.ipcHandlers.get('tickscope:request-port')!({ sender: { id: win.webContents.id, mainFrame: null }, senderFrame: null });
    expect(core.sessions).toHaveLength(before);
  });

  it('quits even when the core fails to stop, after waiting for it once', async () => {
    const quitEvent = { preventDefault: vi.fn() };
    fake.emitApp('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    expect(core.stop).toHaveBeenCalledTimes(1);
    await waitFor(() => fake.app.quit.mock.calls.length > 0, 'app.quit after the failed stop');
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('database is locked'));
    // The quit that follows goes through: no second stop, no second preventDefault.
    const again = { preventDefault: vi.fn() };
    fake.emitApp('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
    expect(core.stop).toHaveBeenCalledTimes(1);
    expect(fake.app.exit).not.toHaveBeenCalled();
  });
});
