/** Picks the transport once at start-up: Electron's port when the preload is there, else the web host. */
import { browserTransport } from './browser';
import { electronTransport } from './electron';
import type { TransportFactory } from './types';

export function pickTransport(): TransportFactory {
  return electronTransport.available() ? electronTransport : browserTransport;
}
