// The migration runner needs one database session that can run multi-statement scripts and
// parameterised queries. Prisma cannot run multi-statement scripts, so the runner talks to the
// driver underneath it: a node-postgres client or a PGlite instance.
import type { PGlite } from '@electric-sql/pglite';
import type { ClientBase } from 'pg';

export interface SqlExecutor {
  /** One statement, with $1-style parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of any number of statements, without parameters. */
  exec(script: string): Promise<void>;
}

/** Wraps one node-postgres session. Give it a Client or a PoolClient, not a Pool: the runner's
 *  advisory lock and transactions only mean something on a single connection. */
export function pgExecutor(client: ClientBase): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as R[];
    },
    async exec(script: string) {
      // Without parameters node-postgres uses the simple query protocol, which accepts many statements.
      await client.query(script);
    },
  };
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(sql, [...params]);
      return result.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}
