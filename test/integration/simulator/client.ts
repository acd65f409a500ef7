/**
 * A plain `ws` client for the simulator tests: records every frame as text. Tests wait on what
 * it received with test/helpers/wait-for.ts (never for fixed times).
 */
import WebSocket from 'ws';
import { waitFor } from '../../helpers/wait-for';

export interface Frame {
  text: string;
  /** JSON value, or undefined when the frame is not JSON. */
  json: Record<string, unknown> | undefined;
  at: number;
}

export class TestClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  private reqId = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      this.frames.push({ text, json, at: Date.now() });
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
    ws.on('error', () => {});
  }

  static connect(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends a request with the next id and returns that id. */
  request(body: Record<string, unknown>): number {
    const id = ++this.reqId;
    this.ws.send(JSON.stringify({ ...body, id }));
    return id;
  }

  subscribe(channels: string[], symbols: string[], market = 'spot'): number {
    return this.request({ op: 'subscribe', market, channels, symbols });
  }

  ofType(type: string): Record<string, unknown>[] {
    return this.frames.filter((f) => f.json?.type === type).map((f) => f.json!);
  }

  /** Trade rows received, with their market and symbol. */
  trades(): { market: string; symbol: string; id: number; price: string; size: string; side: string; time: number }[] {
    return this.ofType('trades').flatMap((f) =>
      (f.data as [number, string, string, string, number][]).map(([id, price, size, side, time]) => ({
        market: f.market as string, symbol: f.symbol as string, id, price, size, side, time,
      })),
    );
  }

  async waitClosed(): Promise<void> {
    await waitFor(() => this.closeCode !== null, 'the socket to close');
  }

  /**
   * Sends a ping and waits for its pong. The server answers after handling the ping, and frames
   * on one socket arrive in order: everything it sent before has arrived by then.
   */
  async roundTrip(): Promise<void> {
    const pongs = this.ofType('pong').length;
    this.request({ op: 'ping' });
    await waitFor(() => this.ofType('pong').length > pongs, 'the pong to a ping');
  }

  close(): void {
    this.ws.terminate();
  }
}
