import { AppError } from '../../core/errors';
import type { DbConnector } from './connector';
import { ident, literal } from './sql';

/** A table the analyst can see: its size and its columns. */
export interface TableSummary {
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
}

/**
 * The user tables in the main schema, in creation order. Listing and counting are two queries;
 * a table another job drops or renames in between (a recipe's build table, say) makes the count
 * fail, and the listing is taken again (up to three times).
 */
export async function listTables(db: DbConnector): Promise<TableSummary[]> {
  for (let attempt = 1; ; attempt++) {
    const tables = await tablesAndColumns(db);
    try {
      await countRows(db, tables);
      return tables;
    } catch (err) {
      if (attempt >= 3 || !/does not exist/i.test(err instanceof Error ? err.message : String(err))) throw err;
    }
  }
}

async function tablesAndColumns(db: DbConnector): Promise<TableSummary[]> {
  const t = await db.query(
    `SELECT t.table_name AS name, c.column_name AS col, c.data_type AS type
     FROM duckdb_tables() t JOIN duckdb_columns() c USING (database_name, schema_name, table_name)
     WHERE t.schema_name = 'main' AND NOT t.temporary AND t.database_name = current_database()
     ORDER BY t.table_oid, c.column_index`,
  );
  const byName = new Map<string, TableSummary>();
  for (const r of t.toArray()) {
    const o = r.toJSON();
    const name = String(o.name);
    let entry = byName.get(name);
    if (!entry) {
      entry = { name, rows: 0, columns: [] };
      byName.set(name, entry);
    }
    entry.columns.push({ name: String(o.col), type: String(o.type) });
  }
  return [...byName.values()];
}

async function countRows(db: DbConnector, tables: TableSummary[]): Promise<void> {
  if (tables.length === 0) return;
  const counts = await db.query(tables.map((x) => `SELECT ${literal(x.name)} AS name, count(*)::BIGINT AS n FROM ${ident(x.name)}`).join(' UNION ALL '));
  const byName = new Map(tables.map((x) => [x.name, x]));
  for (const r of counts.toArray()) {
    const o = r.toJSON();
    const entry = byName.get(String(o.name));
    if (entry) entry.rows = Number(o.n);
  }
}

/** Column names and DuckDB types of a table (or any SELECT wrapped in parentheses). */
export async function describe(db: DbConnector, relation: string): Promise<{ name: string; type: string }[]> {
  const t = await db.query(`DESCRIBE ${relation}`);
  return t.toArray().map((r) => {
    const o = r.toJSON();
    return { name: String(o.column_name), type: String(o.column_type) };
  });
}

/** Renames a table; refuses a name that is taken or blank. */
export async function renameTable(db: DbConnector, from: string, to: string): Promise<void> {
  const name = to.trim();
  if (!name) throw new AppError('invalid-argument', 'A table needs a name: type one, or press Escape to keep the old one.');
  const existing = await listTables(db);
  if (existing.some((t) => t.name.toLowerCase() === name.toLowerCase() && t.name !== from)) {
    throw new AppError('invalid-argument', `A table named "${name}" already exists: choose another name.`);
  }
  await db.query(`ALTER TABLE ${ident(from)} RENAME TO ${ident(name)}`);
}

/** Drops a table. */
export async function dropTable(db: DbConnector, name: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${ident(name)}`);
}

/** How much memory DuckDB uses now, and its limit (bytes), from pragma_database_size(). */
export async function memoryUsage(db: DbConnector): Promise<{ used: string; limit: string }> {
  const t = await db.query('SELECT memory_usage, memory_limit FROM pragma_database_size()');
  const o = t.get(0)?.toJSON() ?? {};
  return { used: String(o.memory_usage ?? '?'), limit: String(o.memory_limit ?? '?') };
}
