import type { AuditRecord } from '@barfinex/contracts';
import type { AuditRepository, NewAuditRecord } from './audit.repository';

export interface AuditTrailDeps {
  repo: AuditRepository;
  /** Each stored record, announced (PROVIDER_AUDIT_RECORD). */
  announce: (record: AuditRecord) => void;
  onError: (err: unknown, pending: number) => void;
  flushMs?: number;
  batchSize?: number;
  /** Records held while the database is unreachable; past this the oldest are dropped (and counted). */
  maxPending?: number;
  onDropped?: (count: number) => void;
}

/**
 * The audit trail's writer: requests add records without waiting for the database; they are
 * written in batches (one statement each) every `flushMs`, and `flush` writes what is pending now
 * (the audit route calls it, so a caller sees its own requests).
 */
export function createAuditTrail(deps: AuditTrailDeps) {
  const flushMs = deps.flushMs ?? 200;
  const batchSize = deps.batchSize ?? 200;
  const maxPending = deps.maxPending ?? 50_000;
  let pending: NewAuditRecord[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function writeAll(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, batchSize);
      try {
        const stored = await deps.repo.insert(batch);
        pending = pending.slice(batch.length);
        for (const record of stored) deps.announce(record);
      } catch (err) {
        deps.onError(err, pending.length);
        return;
      }
    }
  }

  function flush(): Promise<void> {
    writing ??= writeAll().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  return {
    add(record: NewAuditRecord): void {
      pending.push(record);
      if (pending.length > maxPending) {
        const dropped = pending.length - maxPending;
        pending = pending.slice(dropped);
        deps.onDropped?.(dropped);
      }
      if (pending.length >= batchSize) void flush();
    },
    /** Writes every record added so far (waits for a write in progress first). */
    async flush(): Promise<void> {
      await writing;
      await flush();
    },
    pending: () => pending.length,
    start(): void {
      timer = setInterval(() => void flush(), flushMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await this.flush();
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
