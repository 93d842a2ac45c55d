import type { ApiScope, TokenCreate } from '@barfinex/contracts';

export interface TokenFormState {
  name: string;
  scopes: readonly ApiScope[];
  /** `datetime-local` value, empty for no expiry. */
  expires: string;
  /** Comma- or space-separated symbols, empty for all. */
  symbols: string;
}

/** The create-token body from the form; the provider validates the rest (name length, scopes, expiry in the future). */
export function tokenRequest(form: TokenFormState): Omit<TokenCreate, 'expiresAt'> & { expiresAt?: number } {
  const symbols = form.symbols
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const expiresAt = form.expires ? new Date(form.expires).getTime() : undefined;
  return {
    name: form.name.trim(),
    scopes: [...form.scopes],
    ...(expiresAt !== undefined && Number.isFinite(expiresAt) ? { expiresAt } : {}),
    ...(symbols.length > 0 ? { restrict: { symbols } } : {}),
  };
}
