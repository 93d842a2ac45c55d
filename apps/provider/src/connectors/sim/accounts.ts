import { Dec, ZERO, parseDecimal } from './decimal';
import { SimErrorCode, reject } from './errors';
import type { AccountState, Engine, SpotAsset } from './state';

export interface SimAccountBalances {
  spot?: Record<string, string | number>;
  futures?: Record<string, string | number>;
}

function toDecimals(record: Record<string, string | number> | undefined, what: string): Map<string, Dec> {
  const out = new Map<string, Dec>();
  for (const [asset, raw] of Object.entries(record ?? {})) {
    const value = parseDecimal(raw);
    if (value === undefined || value.isNegative() || !/^[A-Z0-9]{1,15}$/.test(asset)) {
      reject(
        SimErrorCode.INVALID_ARGUMENT,
        `${what} balance ${asset}=${String(raw)} must be a non-negative decimal for an upper-case asset`,
      );
    }
    out.set(asset, value);
  }
  return out;
}

export function newAccount(id: string, balances: SimAccountBalances): AccountState {
  const spot = new Map<string, SpotAsset>();
  for (const [asset, free] of toDecimals(balances.spot, 'spot')) spot.set(asset, { free, locked: ZERO });
  return {
    id,
    spot,
    futures: {
      wallet: toDecimals(balances.futures, 'futures'),
      orderMargin: new Map(),
      positionMargin: new Map(),
      positions: new Map(),
      leverage: new Map(),
    },
    open: new Set(),
    byClientId: new Map(),
  };
}

function checkAccountId(id: string): void {
  if (typeof id !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(id)) {
    reject(
      SimErrorCode.INVALID_ARGUMENT,
      `accountId must be 1–64 characters of [A-Za-z0-9._:-], got ${JSON.stringify(id)}`,
    );
  }
}

/** Accounts appear on first use with the configured starting balances (one per bot, user or backtest). */
export function accountFor(engine: Engine, id: string): AccountState {
  const existing = engine.accounts.get(id);
  if (existing !== undefined) return existing;
  checkAccountId(id);
  const account = newAccount(id, engine.cfg.balances);
  engine.accounts.set(id, account);
  return account;
}

/** An isolated account with its own balances (e.g. a backtest); refuses to overwrite one in use. */
export function createAccount(engine: Engine, id: string, balances: SimAccountBalances): AccountState {
  checkAccountId(id);
  if (engine.accounts.has(id)) reject(SimErrorCode.ACCOUNT_EXISTS, `account ${id} already exists`);
  const account = newAccount(id, balances);
  engine.accounts.set(id, account);
  return account;
}

export function spotAsset(account: AccountState, asset: string): SpotAsset {
  let entry = account.spot.get(asset);
  if (entry === undefined) {
    entry = { free: ZERO, locked: ZERO };
    account.spot.set(asset, entry);
  }
  return entry;
}

export function addTo(map: Map<string, Dec>, asset: string, delta: Dec): void {
  map.set(asset, (map.get(asset) ?? ZERO).plus(delta));
}
