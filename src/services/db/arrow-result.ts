import type { Table } from 'apache-arrow';
import { AppError } from '../../core/errors';
import type { DbConnector } from './connector';

/**
 * Runs a SELECT whose result must have `columns` columns and returns it as Arrow. With DuckDB-WASM
 * 1.32 (seen on the threaded `coi` build, on a 46,472-row, 23-batch result read right after other
 * statements) a result now and then arrives that is not an Arrow IPC file ("Reader is not file" on
 * the console) and decodes as a table with no columns; the query is then run again (up to twice
 * more) rather than failing the analyst's job with "Cannot read properties of null".
 */
export async function queryColumns(db: DbConnector, sql: string, columns: number): Promise<Table> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await db.query(sql);
    if (result.numCols === columns) return result;
  }
  throw new AppError('query-failed', `The database engine returned an unreadable result (expected ${columns} columns) three times; run the job again.`);
}
