import type { Table } from 'apache-arrow';
import type { DbConnector } from './connector';
import { ident } from './sql';

/** Cells of a result as display text (DuckDB's own VARCHAR rendering), null kept as null. */
export function tableToCells(t: Table): (string | null)[][] {
  const cols = t.schema.fields.map((_, j) => t.getChildAt(j)!);
  const out: (string | null)[][] = new Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    const row: (string | null)[] = new Array(cols.length);
    for (let j = 0; j < cols.length; j++) {
      const v = cols[j].get(i);
      row[j] = v === null || v === undefined ? null : String(v);
    }
    out[i] = row;
  }
  return out;
}

/**
 * One window of rows for the grid: `limit` rows from `offset`, every column rendered by DuckDB as
 * text (dates, decimals and lists look as they do in DuckDB's CLI). Only the window crosses to JS.
 */
export async function fetchWindow(
  db: DbConnector,
  relation: string,
  columns: readonly string[],
  offset: number,
  limit: number,
): Promise<(string | null)[][]> {
  const select = columns.map((c) => `${ident(c)}::VARCHAR`).join(', ');
  const t = await db.query(`SELECT ${select || '*'} FROM ${ident(relation)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`);
  return tableToCells(t);
}
