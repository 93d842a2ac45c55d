import { createHash, randomBytes } from 'node:crypto';
import type { ApiScope, TokenCreate, TokenRestriction, TokenView } from '@barfinex/contracts';
import { ApiScope as Scope } from '@barfinex/contracts';
import { AppError } from '@barfinex/service-kit';
import { RecentMap } from '@barfinex/bus';
import type { TokensRepository, StoredToken } from './tokens.repository';

/** Who a request acts as: the bootstrap token or one named token. */
export interface Principal {
  tokenId: string;
  name: string;
  scopes: readonly ApiScope[];
  restrict: TokenRestriction | null;
  expiresAt: number | null;
}

export const BOOTSTRAP_TOKEN_ID = 'bootstrap';

/** Why a presented secret is refused. */
export type Refusal = 'invalid' | 'expired' | 'revoked';

/**
 * Secrets are 256 random bits, so a plain SHA-256 of one is as good as a slow password hash (there
 * is no dictionary to slow down) and lets a request be checked with one hash and one map lookup.
 */
export const digestSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const NEGATIVE_LIMIT = 10_000;

export interface TokenStoreDeps {
  repo: TokensRepository;
  /** PROVIDER_API_TOKEN: the bootstrap admin credential, never stored. */
  bootstrap: string;
  now: () => number;
  /** Told once a token is revoked here or on another instance (drop its sockets). */
  onRevoked?: (tokenId: string) => void;
  /** The revocation announcement for the other instances. */
  announceRevoked?: (token: TokenView, by: string | null) => void;
}

const view = ({ secretHash: _hash, ...rest }: StoredToken): TokenView => rest;

function principalOf(token: StoredToken): Principal {
  return {
    tokenId: token.id,
    name: token.name,
    scopes: token.scopes,
    restrict: token.restrict,
    expiresAt: token.expiresAt,
  };
}

/**
 * The tokens every request is checked against, held in memory: a known secret costs no database
 * round trip. A secret the cache lacks (created on another instance) is looked up once; revocations
 * reach every instance through the bus, and `refresh` (periodic) is the backstop.
 */
export function createTokenStore(deps: TokenStoreDeps) {
  const bootstrap: Principal = {
    tokenId: BOOTSTRAP_TOKEN_ID,
    name: 'PROVIDER_API_TOKEN',
    scopes: [Scope.ADMIN],
    restrict: null,
    expiresAt: null,
  };
  const bootstrapHash = digestSecret(deps.bootstrap);
  const byHash = new Map<string, Principal>();
  const hashOfId = new Map<string, string>();
  // Digests known to be no token, or a revoked one: refused without asking the database again.
  const refused = new RecentMap<string, Refusal>(NEGATIVE_LIMIT);
  const used = new Map<string, number>();

  const remember = (token: StoredToken): void => {
    byHash.set(token.secretHash, principalOf(token));
    hashOfId.set(token.id, token.secretHash);
  };
  const refuse = (hash: string, why: Refusal): void => {
    refused.set(hash, why);
  };
  const judge = (principal: Principal, at: number): Principal | Refusal => {
    if (principal.expiresAt !== null && principal.expiresAt <= at) return 'expired';
    if (principal !== bootstrap) used.set(principal.tokenId, at);
    return principal;
  };

  function forget(tokenId: string): void {
    const hash = hashOfId.get(tokenId);
    if (hash === undefined) return;
    byHash.delete(hash);
    hashOfId.delete(tokenId);
    refuse(hash, 'revoked');
  }

  return {
    /** PROVIDER_API_TOKEN's principal: what the platform itself acts as (provisioning app tokens). */
    bootstrap,

    /** From memory only: `miss` when the secret is unknown here and the database must be asked. */
    lookup(secret: string): Principal | Refusal | 'miss' {
      const hash = digestSecret(secret);
      if (hash === bootstrapHash) return bootstrap;
      const principal = byHash.get(hash);
      if (principal) return judge(principal, deps.now());
      return refused.get(hash) ?? 'miss';
    },

    /** Memory first, then the database for a secret this instance has not seen yet. */
    async resolve(secret: string): Promise<Principal | Refusal> {
      const known = this.lookup(secret);
      if (known !== 'miss') return known;
      const hash = digestSecret(secret);
      const stored = await deps.repo.byHash(hash);
      if (!stored) {
        refuse(hash, 'invalid');
        return 'invalid';
      }
      if (stored.revokedAt !== null) {
        refuse(hash, 'revoked');
        return 'revoked';
      }
      remember(stored);
      return judge(principalOf(stored), deps.now());
    },

    async create(input: TokenCreate, by: Principal): Promise<TokenView & { secret: string }> {
      const at = deps.now();
      if (input.expiresAt !== undefined && input.expiresAt <= at)
        throw new AppError('VALIDATION_ERROR', 'expiresAt must lie in the future', {
          details: { expiresAt: input.expiresAt, now: at },
        });
      const secret = `bfx_${randomBytes(32).toString('base64url')}`;
      const restrict =
        input.restrict && Object.values(input.restrict).some((list) => list !== undefined && list.length > 0)
          ? input.restrict
          : null;
      const stored = await deps.repo.insert({
        id: `tok_${randomBytes(9).toString('base64url')}`,
        name: input.name,
        secretHash: digestSecret(secret),
        scopes: [...new Set(input.scopes)],
        restrict,
        createdAt: at,
        createdBy: by.tokenId,
        expiresAt: input.expiresAt ?? null,
      });
      remember(stored);
      return { ...view(stored), secret };
    },

    /**
     * A token whose secret the operator chose (declared in the environment): kept when it is
     * stored already (its scopes brought up to date), else stored, and any other live token of the
     * same name revoked. A declared secret that was revoked stays revoked: answers false.
     */
    async adopt(name: string, scopes: readonly ApiScope[], secret: string): Promise<boolean> {
      const hash = digestSecret(secret);
      const stored = await deps.repo.byHash(hash);
      if (stored?.revokedAt != null) return false;
      if (stored) {
        const same = stored.scopes.length === scopes.length && scopes.every((s) => stored.scopes.includes(s));
        remember(same && stored.name === name ? stored : await deps.repo.setScopes(stored.id, scopes));
        return true;
      }
      for (const other of await deps.repo.list())
        if (other.name === name && other.revokedAt === null) await this.revoke(other.id, bootstrap);
      remember(
        await deps.repo.insert({
          id: `tok_${randomBytes(9).toString('base64url')}`,
          name,
          secretHash: hash,
          scopes: [...scopes],
          restrict: null,
          createdAt: deps.now(),
          createdBy: bootstrap.tokenId,
          expiresAt: null,
        }),
      );
      return true;
    },

    async list(): Promise<TokenView[]> {
      await this.flushUsage();
      return (await deps.repo.list()).map(view);
    },

    async revoke(id: string, by: Principal): Promise<TokenView> {
      const stored = await deps.repo.revoke(id, deps.now());
      if (!stored) throw new AppError('NOT_FOUND', `no token ${id}`, { details: { id } });
      const token = view(stored);
      this.revoked(id);
      deps.announceRevoked?.(token, by.tokenId);
      return token;
    },

    /** A revocation (from here or from the bus): the token stops working on this instance now. */
    revoked(tokenId: string): void {
      forget(tokenId);
      deps.onRevoked?.(tokenId);
    },

    /** Reloads the active tokens: picks up revocations and expiries a missed announcement left behind. */
    async refresh(): Promise<void> {
      const active = await deps.repo.active(deps.now());
      const keep = new Set(active.map((t) => t.id));
      for (const id of [...hashOfId.keys()]) if (!keep.has(id)) this.revoked(id);
      for (const token of active) remember(token);
    },

    /** Writes when each token was last used (kept in memory between writes). */
    async flushUsage(): Promise<void> {
      if (used.size === 0) return;
      const batch = new Map(used);
      used.clear();
      await deps.repo.touch(batch);
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
