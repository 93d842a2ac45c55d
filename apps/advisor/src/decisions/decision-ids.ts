import { createHash } from 'node:crypto';

const digest = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * Every id derives from the dedup key (`signal:<signalId>` or `request:<requestId>`), so a
 * redelivered signal maps to the same decision, the same intent and the same event ids. The
 * intent's idempotency key ignores the advisor key on purpose: two advisors approving one signal
 * still ask the inspector for one trade.
 */
export function decisionIds(advisorKey: string, dedupKey: string) {
  const shared = digest(dedupKey, 32);
  return {
    decisionId: `dec-${digest(`${advisorKey}|${dedupKey}`, 24)}`,
    intentId: `int-${shared.slice(0, 24)}`,
    idempotencyKey: `adv-${shared}`,
  };
}
