// Bulk reads that hand each row on as it arrives, instead of after the whole result is buffered:
// a caller that forwards rows (e.g. JSON text built by PostgreSQL, written to an HTTP response)
// then overlaps its own work with the server still producing rows.
import { Query } from 'pg';
import type { Pool, QueryArrayConfig } from 'pg';

export interface StreamRowsQuery {
  text: string;
  values?: readonly unknown[];
}

/**
 * Runs one query on a pooled connection and calls `onRow` with every row (as an array of column
 * values, in order). Resolves with the row count once the last row has been handed on; rejects on
 * a query error, or with what `onRow` threw (once the query has finished).
 */
export async function streamRows(pool: Pool, query: StreamRowsQuery, onRow: (row: unknown[]) => void): Promise<number> {
  const client = await pool.connect();
  let queryError: Error | undefined;
  try {
    return await new Promise<number>((resolve, reject) => {
      let count = 0;
      let callerError: unknown;
      // Query's typings omit rowMode, which it honours like client.query does.
      const config: QueryArrayConfig<unknown[]> = {
        text: query.text,
        values: query.values ? [...query.values] : [],
        rowMode: 'array',
      };
      const q = client.query(new Query<unknown[], unknown[]>(config));
      q.on('row', (row: unknown[]) => {
        if (callerError !== undefined) return;
        try {
          onRow(row);
          count++;
        } catch (error) {
          // The rest of the rows still arrive (the protocol has no "stop"); they are dropped.
          callerError = error;
        }
      });
      q.on('error', (error: Error) => {
        queryError = error;
        reject(error);
      });
      q.on('end', () => (callerError === undefined ? resolve(count) : reject(callerError)));
    });
  } finally {
    // After a query error the connection's state is unknown, so the pool replaces it.
    client.release(queryError);
  }
}
