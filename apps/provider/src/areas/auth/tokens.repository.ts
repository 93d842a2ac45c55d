import type { ApiScope, TokenRestriction, TokenView } from '@barfinex/contracts';
import { ApiScopeSchema, TokenRestrictionViewSchema } from '@barfinex/contracts';
import type { PrismaClient } from '@barfinex/db';
import { z } from 'zod';

/** A stored token: its view plus the digest its secret is looked up by. */
export interface StoredToken extends TokenView {
  secretHash: string;
}

export interface NewToken {
  id: string;
  name: string;
  secretHash: string;
  scopes: readonly ApiScope[];
  restrict: TokenRestriction | null;
  createdAt: number;
  createdBy: string | null;
  expiresAt: number | null;
}

type Row = Awaited<ReturnType<PrismaClient['apiToken']['findFirstOrThrow']>>;

const Scopes = z.array(ApiScopeSchema);
const ms = (v: bigint | null): number | null => (v === null ? null : Number(v));

/** A row whose scopes or restriction no longer validate grants nothing rather than failing every lookup. */
function toStored(row: Row): StoredToken {
  const scopes = Scopes.safeParse(row.scopes);
  const restrict = row.restrict === null ? null : TokenRestrictionViewSchema.safeParse(row.restrict);
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secretHash,
    scopes: scopes.success ? scopes.data : [],
    restrict: restrict === null ? null : restrict.success ? restrict.data : { symbols: [] },
    createdAt: Number(row.createdAt),
    createdBy: row.createdBy,
    expiresAt: ms(row.expiresAt),
    lastUsedAt: ms(row.lastUsedAt),
    revokedAt: ms(row.revokedAt),
  };
}

export function createTokensRepository(prisma: PrismaClient) {
  return {
    async insert(token: NewToken): Promise<StoredToken> {
      const row = await prisma.apiToken.create({
        data: {
          ...token,
          scopes: [...token.scopes],
          restrict: token.restrict === null ? undefined : token.restrict,
          createdAt: BigInt(token.createdAt),
          expiresAt: token.expiresAt === null ? null : BigInt(token.expiresAt),
        },
      });
      return toStored(row);
    },
    async byHash(secretHash: string): Promise<StoredToken | undefined> {
      const row = await prisma.apiToken.findUnique({ where: { secretHash } });
      return row ? toStored(row) : undefined;
    },
    /** Tokens neither revoked nor expired at `now`: what the cache holds. */
    async active(now: number): Promise<StoredToken[]> {
      const rows = await prisma.apiToken.findMany({
        where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: BigInt(now) } }] },
      });
      return rows.map(toStored);
    },
    async list(): Promise<StoredToken[]> {
      const rows = await prisma.apiToken.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      return rows.map(toStored);
    },
    /** Marks the token revoked once; undefined when unknown. */
    async revoke(id: string, at: number): Promise<StoredToken | undefined> {
      const found = await prisma.apiToken.findUnique({ where: { id } });
      if (!found) return undefined;
      if (found.revokedAt !== null) return toStored(found);
      return toStored(await prisma.apiToken.update({ where: { id }, data: { revokedAt: BigInt(at) } }));
    },
    async setScopes(id: string, scopes: readonly ApiScope[]): Promise<StoredToken> {
      return toStored(await prisma.apiToken.update({ where: { id }, data: { scopes: [...scopes] } }));
    },
    async touch(used: ReadonlyMap<string, number>): Promise<void> {
      for (const [id, at] of used)
        await prisma.apiToken.updateMany({ where: { id }, data: { lastUsedAt: BigInt(at) } });
    },
  };
}

export type TokensRepository = ReturnType<typeof createTokensRepository>;
