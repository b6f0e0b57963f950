/**
 * Which cleaned tables a recipe may replace. A recipe writes its cleaned table with `CREATE OR
 * REPLACE`; a table of that name the analyst loaded or made (`feedback_clean` from a file, say)
 * must not be replaced silently. The cleaned table therefore carries a DuckDB comment naming
 * the recipe's source; before a run the output name is checked, and a table or view of that
 * name without the comment makes the recipe take the next free name.
 */
import type { DbConnector } from './connector';
import { ident, literal } from './sql';

/** The comment a recipe's cleaned table carries. */
export function outputMarker(source: string): string {
  return `Clientele: the cleaned table of the recipe on "${source}"`;
}

/** The statement marking `table` as the cleaned table of the recipe on `source`. */
export function markOutputSql(table: string, source: string): string {
  return `COMMENT ON TABLE ${ident(table)} IS ${literal(outputMarker(source))}`;
}

/** Tables and views by lower-cased name, with their comment (null when none). */
async function relations(db: DbConnector): Promise<Map<string, string | null>> {
  const r = await db.query(
    `SELECT table_name AS n, comment AS c FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database()
     UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' AND database_name = current_database()`,
  );
  return new Map(r.toArray().map((row) => {
    const o = row.toJSON() as { n: string; c: string | null };
    return [String(o.n).toLowerCase(), o.c === null || o.c === undefined ? null : String(o.c)];
  }));
}

/**
 * The name the recipe on `source` writes its cleaned table to: `wanted` when no table or view
 * has it or the one that has it is this recipe's (marked), else the first of `wanted_2`,
 * `wanted_3`… that is free or this recipe's.
 */
export async function claimOutputName(db: DbConnector, source: string, wanted: string): Promise<string> {
  const existing = await relations(db);
  const ours = (name: string) => {
    const key = name.toLowerCase();
    return !existing.has(key) || existing.get(key) === outputMarker(source);
  };
  if (ours(wanted)) return wanted;
  for (let i = 2; ; i++) if (ours(`${wanted}_${i}`)) return `${wanted}_${i}`;
}

/** The comment of the table `table`: null when it has none, undefined when there is no such table. */
async function tableComment(db: DbConnector, table: string): Promise<string | null | undefined> {
  const r = await db.query(`SELECT comment AS c FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database() AND table_name = ${literal(table)}`);
  if (r.numRows === 0) return undefined;
  const c = r.get(0)?.toJSON().c;
  return c === null || c === undefined ? null : String(c);
}

/** Marks `table` as the cleaned table of the recipe on `source` when such a table exists. */
export async function markOutputIfPresent(db: DbConnector, table: string, source: string): Promise<void> {
  if ((await tableComment(db, table)) !== undefined) await db.query(markOutputSql(table, source));
}

/** True when `table` is a table marked as the cleaned table of the recipe on `source`. */
export async function isOutputOf(db: DbConnector, table: string, source: string): Promise<boolean> {
  return (await tableComment(db, table)) === outputMarker(source);
}
