/**
 * One transport interface, implemented twice (Electron MessagePort and browser WebSocket) and
 * checked against this type with `satisfies`, so everything above it has one code path.
 */
import type { CommandMessage, ServerMessage } from '../../../shared/protocol';

export interface CoreTransport {
  readonly kind: 'electron' | 'browser';
  send(msg: CommandMessage): void;
  onMessage(fn: (msg: ServerMessage) => void): () => void;
  /** Called when the connection to the core is lost (the web host stopped, the port closed). */
  onClose(fn: (reason: string) => void): () => void;
  close(): void;
}

export interface TransportFactory {
  readonly kind: 'electron' | 'browser';
  /** True when this transport can be used in the current page. */
  available(): boolean;
  connect(): Promise<CoreTransport>;
}
