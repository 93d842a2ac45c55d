import WebSocket from 'ws';

export interface ReconnectingWsOptions {
  /** Resolved per connection (a user-data stream needs a fresh listen key). */
  url: () => string | Promise<string>;
  /** Runs on every open, first or reconnect: authenticate and (re)subscribe here. */
  onOpen: (socket: { send(message: unknown): void }, reconnect: boolean) => void | Promise<void>;
  onMessage: (text: string) => void;
  onClose?: (info: { code: number; reason: string; willReconnect: boolean }) => void;
  onError?: (err: Error) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Reconnect before the venue's hard cut (Binance closes connections at 24 h). */
  proactiveReconnectMs?: number;
}

export interface ReconnectingWs {
  start(): Promise<void>;
  stop(): Promise<void>;
  send(message: unknown): void;
  connected(): boolean;
  /** Connections opened so far (1 after the first open). */
  opens(): number;
  /** Closes the current connection and opens a new one at once (a venue announced its shutdown). */
  reconnect(): void;
}

/** A WebSocket that comes back after drops, with backoff, and re-runs `onOpen` each time. */
export function createReconnectingWs(options: ReconnectingWsOptions): ReconnectingWs {
  const initial = options.initialBackoffMs ?? 250;
  const max = options.maxBackoffMs ?? 30_000;
  let socket: WebSocket | undefined;
  let stopped = true;
  let attempts = 0;
  let openCount = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let proactiveTimer: NodeJS.Timeout | undefined;
  let firstOpen: { resolve: () => void; reject: (err: Error) => void } | undefined;

  function schedule(): void {
    if (stopped || retryTimer) return;
    const delay = Math.min(max, initial * 2 ** attempts);
    attempts++;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    let url: string;
    try {
      url = await options.url();
    } catch (err) {
      options.onError?.(err instanceof Error ? err : new Error(String(err)));
      schedule();
      return;
    }
    if (stopped) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.on('open', () => {
      attempts = 0;
      openCount++;
      const reconnect = openCount > 1;
      if (options.proactiveReconnectMs) {
        proactiveTimer = setTimeout(() => ws.close(4000, 'proactive reconnect'), options.proactiveReconnectMs);
        proactiveTimer.unref();
      }
      Promise.resolve(
        options.onOpen({ send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) }, reconnect),
      ).then(
        () => {
          firstOpen?.resolve();
          firstOpen = undefined;
        },
        (err: unknown) => {
          options.onError?.(err instanceof Error ? err : new Error(String(err)));
          ws.terminate();
        },
      );
    });
    ws.on('message', (data: WebSocket.RawData) =>
      options.onMessage(
        Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'),
      ),
    );
    ws.on('error', (err) => options.onError?.(err));
    ws.on('close', (code, reason) => {
      if (proactiveTimer) clearTimeout(proactiveTimer);
      proactiveTimer = undefined;
      if (socket === ws) socket = undefined;
      const willReconnect = !stopped;
      options.onClose?.({ code, reason: reason.toString('utf8'), willReconnect });
      // A deliberate proactive close reconnects at once; a drop backs off.
      if (code === 4000 && willReconnect) void connect();
      else schedule();
    });
  }

  return {
    start() {
      stopped = false;
      return new Promise<void>((resolve, reject) => {
        firstOpen = { resolve, reject };
        void connect();
      });
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (proactiveTimer) clearTimeout(proactiveTimer);
      retryTimer = undefined;
      const ws = socket;
      socket = undefined;
      firstOpen?.reject(new Error('stopped before the first connection'));
      firstOpen = undefined;
      if (!ws || ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(1000, 'stop');
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    },
    send(message) {
      if (socket?.readyState === WebSocket.OPEN)
        socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    connected: () => socket?.readyState === WebSocket.OPEN,
    opens: () => openCount,
    reconnect() {
      if (socket?.readyState === WebSocket.OPEN) socket.close(4000, 'reconnect');
    },
  };
}
