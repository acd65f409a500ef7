/**
 * A second launch of the Electron shell (electron mocked, the lock already held by the first):
 * it quits at once and starts nothing: no core, no window, no IPC, no protocol.
 */
import { describe, expect, it, vi } from 'vitest';
import { fake, FakeWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const startCoreApp = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../../electron/core/app', () => ({
  startCoreApp: async () => {
    startCoreApp.calls++;
    throw new Error('a second instance must not start a core');
  },
}));

describe('Electron main: second instance', async () => {
  fake.gotLock = false;
  await import('../../../electron/main/index');
  fake.ready();
  // Let whatever main might have chained on whenReady run before looking.
  await fake.whenReady;
  await new Promise((r) => setImmediate(r));

  it('quits at once and starts nothing', () => {
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(startCoreApp.calls).toBe(0);
    expect(FakeWindow.all).toHaveLength(0);
    expect(fake.ipcHandlers.size).toBe(0);
    expect(fake.appHandlers.size).toBe(0);
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
  });
});
