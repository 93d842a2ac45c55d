import type { PrismaClient } from '@barfinex/db';

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
    // Serialised once and sent as text: Prisma's upsert walks a JSON argument value by value (twice,
    // for create and update), which cost ~100 ms per order once the snapshot held a thousand orders.
    const value = JSON.stringify(deps.take());
    await deps.prisma.$executeRawUnsafe(
      `INSERT INTO key_values (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      deps.key,
      value,
      now(),
    );
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
