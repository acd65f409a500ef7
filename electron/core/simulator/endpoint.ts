/**
 * Where the embedded simulator listens. Its port is random (port 0), so a simulator feed in the
 * settings cannot carry a fixed URL: the adapter's defaultUrl() asks here instead. Every
 * SimulatorServer registers itself on start and unregisters on close; the newest running one wins.
 * No imports, so the (pure) adapter can read it without pulling in the server.
 */

const running: string[] = [];

/** Used by adapters when no simulator runs: connecting fails at once with a network error. */
export const SIMULATOR_NOT_RUNNING_URL = 'ws://127.0.0.1:0/simulator-not-running';

export function registerSimulatorUrl(url: string): void {
  running.push(url);
}

export function unregisterSimulatorUrl(url: string): void {
  const i = running.lastIndexOf(url);
  if (i >= 0) running.splice(i, 1);
}

/** URL of the most recently started simulator that is still running, or null. */
export function runningSimulatorUrl(): string | null {
  return running.length > 0 ? running[running.length - 1]! : null;
}
