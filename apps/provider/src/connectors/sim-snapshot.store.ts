import type { PrismaClient } from '@barfinex/db';
import { Prisma } from '@barfinex/db';

/**
 * Stores the simulator's state as one JSON row. Saves coalesce: a save requested while one is
 * running is folded into a single follow-up, and every caller's promise resolves only after a
 * snapshot taken after its request is durable.
 */
export function createSnapshotStore(deps: { prisma: PrismaClient; key: string; take: () => unknown; now?: () => number }) {
  const now = deps.now ?? Date.now;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  async function write(): Promise<void> {
    const value = deps.take() as Prisma.InputJsonValue;
    const updatedAt = BigInt(now());
    await deps.prisma.keyValue.upsert({ where: { key: deps.key }, create: { key: deps.key, value, updatedAt }, update: { value, updatedAt } });
  }

  function save(): Promise<void> {
    if (!running) {
      running = write().finally(() => {
        running = undefined;
      });
      return running;
    }
    if (!queued) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return save();
        });
    }
    return queued;
  }

  return {
    save,
    async load(): Promise<unknown> {
      const row = await deps.prisma.keyValue.findUnique({ where: { key: deps.key } });
      return row?.value ?? undefined;
    },
  };
}
