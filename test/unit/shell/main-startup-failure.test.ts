/**
 * The core cannot start (electron mocked, startCoreApp rejects): the user sees an error dialog
 * with the reason, no window opens, and the process exits with a non-zero code instead of
 * lingering with nothing on screen.
 */
import { describe, expect, it, vi } from 'vitest';
import { fake, FakeWindow } from './fake-electron';
import { waitFor } from '../../helpers/wait-for';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

vi.mock('../../../electron/core/app', () => ({
  startCoreApp: async () => {
    throw new Error('settings.json: EISDIR: illegal operation on a directory, read');
  },
}));

describe('Electron main: the core cannot start', async () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  fake.userData = '/home/someone/.config/Tickscope';
  await import('../../../electron/main/index');
  fake.ready();

  it('shows the reason in an error dialog and exits with code 1, opening no window', async () => {
    await waitFor(() => fake.app.exit.mock.calls.length > 0, 'app.exit');
    expect(fake.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, body] = fake.dialog.showErrorBox.mock.calls[0]!;
    expect(title).toBe('Tickscope could not start');
    expect(body).toContain('settings.json: EISDIR');
    expect(body).toContain('/home/someone/.config/Tickscope');
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(FakeWindow.all).toHaveLength(0);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('could not start: settings.json: EISDIR'));
  });
});
