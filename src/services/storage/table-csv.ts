import type { DbConnector } from '../db/connector';
import { ident } from '../db/sql';

/**
 * A table as CSV text (header row, comma-separated, RFC 4180 quoting), written by DuckDB's own
 * CSV writer into its in-memory file system and copied out: no row objects in JS. (Under Node the
 * node-blocking build writes `file` to disk: tests pass a path in a temporary folder.)
 */
export async function tableCsv(db: DbConnector, table: string, file = `__clientele_export_${Date.now()}.csv`): Promise<string> {
  await db.query(`COPY (SELECT * FROM ${ident(table)}) TO '${file}' (FORMAT csv, HEADER true)`);
  try {
    return new TextDecoder().decode(await db.copyFileToBuffer(file));
  } finally {
    await db.dropFile(file).catch(() => undefined);
  }
}
