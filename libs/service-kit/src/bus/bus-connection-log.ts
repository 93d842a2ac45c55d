/** The part of a bus's status worth a log line (structural: service-kit does not depend on the bus). */
export interface WatchedBusStatus {
  connected: boolean;
  server?: string;
  reconnects?: number;
  pendingDurable?: number;
  dropped?: number;
  lastError?: string;
}

export interface WatchableBus {
  watchConnection(listener: (change: { connected: boolean; status: WatchedBusStatus }) => void): () => void;
}

export interface BusConnectionLogOptions {
  bus: WatchableBus;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  now?: () => number;
}

/**
 * Logs the bus connection once per change: a warning when it is lost, an info line when it is
 * back (with how long it was gone). The bus already reports only changes; this keeps to one line
 * per change as well, whatever a bus sends, because a line per retry buries the one that matters.
 * Returns the function that stops logging.
 */
export function logBusConnection(options: BusConnectionLogOptions): () => void {
  const now = options.now ?? Date.now;
  let connected = true;
  let lostAt: number | undefined;
  return options.bus.watchConnection(({ connected: next, status }) => {
    if (next === connected) return;
    connected = next;
    const fields = {
      ...(status.server === undefined ? {} : { server: status.server }),
      ...(status.reconnects === undefined ? {} : { reconnects: status.reconnects }),
      ...(status.pendingDurable === undefined ? {} : { pendingDurable: status.pendingDurable }),
    };
    if (!next) {
      lostAt = now();
      options.logger.warn(
        { ...fields, ...(status.lastError === undefined ? {} : { lastError: status.lastError }) },
        'bus disconnected: live events are dropped and durable ones held until it is back',
      );
      return;
    }
    const downMs = lostAt === undefined ? undefined : now() - lostAt;
    lostAt = undefined;
    options.logger.info(
      {
        ...fields,
        ...(status.dropped === undefined ? {} : { dropped: status.dropped }),
        ...(downMs === undefined ? {} : { downMs }),
      },
      'bus reconnected',
    );
  });
}
