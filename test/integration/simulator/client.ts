/**
 * A plain `ws` client for the simulator tests: records every frame as text and waits for
 * conditions (never for fixed times) with generous deadlines for a busy 2-core machine.
 */
import WebSocket from 'ws';

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

  waitFor(what: string, cond: () => boolean, timeoutMs = 8_000): Promise<void> {
    return waitFor(what, cond, timeoutMs);
  }

  waitClosed(timeoutMs = 8_000): Promise<void> {
    return this.waitFor('the socket to close', () => this.closeCode !== null, timeoutMs);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Polls cond every 10 ms until it holds; rejects naming `what` after timeoutMs. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 8_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves after ms (only for "nothing must happen during" checks, never to wait for something). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
