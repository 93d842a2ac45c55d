import { SimMarketPartSchema } from './sim';

export interface RefusedPart {
  part: string;
  reason: string;
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Restores from stored parts, giving up as little as possible when they do not validate:
 *
 * 1. every part;
 * 2. without the market parts that fail their own schema (a ticker or recent trades are display
 *    state: the market restarts that window empty, orders and balances are untouched);
 * 3. without any market part;
 * 4. nothing: the core and the orders depend on each other (locked balances, closed-order ids),
 *    so a broken one refuses them all and the market starts fresh.
 *
 * `restore` throws on a refused state and changes nothing then. Returns the parts left out, each
 * with why, for the caller to quarantine; empty when everything restored.
 */
export function restoreBestEffort(
  parts: ReadonlyMap<string, unknown>,
  restore: (kept: ReadonlyMap<string, unknown>) => void,
): RefusedPart[] {
  const attempt = (left: ReadonlySet<string>): string | null => {
    try {
      restore(new Map([...parts].filter(([name]) => !left.has(name))));
      return null;
    } catch (err) {
      return reasonOf(err);
    }
  };
  const firstReason = attempt(new Set());
  if (firstReason === null) return [];

  const markets = [...parts.keys()].filter((name) => name.startsWith('market:'));
  const invalidMarkets = new Map<string, string>();
  for (const name of markets) {
    const parsed = SimMarketPartSchema.safeParse(parts.get(name));
    if (!parsed.success)
      invalidMarkets.set(
        name,
        `${name} does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
  }
  if (invalidMarkets.size > 0 && attempt(new Set(invalidMarkets.keys())) === null) {
    return [...invalidMarkets].map(([part, reason]) => ({ part, reason }));
  }
  if (markets.length > 0 && attempt(new Set(markets)) === null) {
    return markets.map((part) => ({
      part,
      reason: invalidMarkets.get(part) ?? `left out with the other market parts: ${firstReason}`,
    }));
  }
  return [...parts.keys()].map((part) => ({ part, reason: invalidMarkets.get(part) ?? firstReason }));
}
