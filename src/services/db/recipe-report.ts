import type { CompiledStep } from '../../core/recipe/compile';
import type { ColumnType } from '../../core/recipe/types';
import type { DbConnector } from './connector';
import { tableToCells } from './rows';
import { ident } from './sql';

/** Rows of a relation as DuckDB renders them (text; null stays null), with its columns. */
export interface RelationPreview {
  columns: ColumnType[];
  rows: (string | null)[][];
  /** Per row and column, whether the step changed that cell (a step's after preview of changed rows). */
  changed?: boolean[][];
}

/** Columns (name, DuckDB type) of a table or view, in order. */
export async function relationColumns(db: DbConnector, name: string): Promise<ColumnType[]> {
  const t = await db.query(`DESCRIBE ${ident(name)}`);
  return t.toArray().map((r) => {
    const o = r.toJSON();
    return { name: String(o.column_name), type: String(o.column_type) };
  });
}

/** Whether `name` is a table, a view, or absent in the main schema. */
export async function relationKind(db: DbConnector, name: string): Promise<'table' | 'view' | null> {
  const t = await db.query(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = '${name.replace(/'/g, "''")}'`,
  );
  const type = t.numRows ? String(t.get(0)!.toJSON().table_type) : null;
  return type === null ? null : type === 'VIEW' ? 'view' : 'table';
}

/** Every table and view of the main schema and its kind, in one catalog query. */
export async function relationKinds(db: DbConnector): Promise<Map<string, 'table' | 'view'>> {
  const t = await db.query(`SELECT table_name AS n, table_type AS k FROM information_schema.tables WHERE table_schema = 'main'`);
  return new Map(t.toArray().map((r) => {
    const o = r.toJSON();
    return [String(o.n), String(o.k) === 'VIEW' ? 'view' : 'table'] as const;
  }));
}

/** Drops a table or view by name when it exists (DuckDB refuses DROP VIEW on a table). */
export async function dropRelation(db: DbConnector, name: string): Promise<void> {
  const kind = await relationKind(db, name);
  if (kind) await db.query(`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${ident(name)}`);
}

/** The first `n` rows of a relation, every cell rendered by DuckDB as VARCHAR. */
export async function previewRelation(db: DbConnector, name: string, n: number): Promise<RelationPreview> {
  const columns = await relationColumns(db, name);
  const select = columns.map((c) => `${ident(c.name)}::VARCHAR AS ${ident(c.name)}`).join(', ');
  const t = await db.query(`SELECT ${select || '*'} FROM ${ident(name)} LIMIT ${Math.max(0, Math.floor(n))}`);
  return { columns, rows: tableToCells(t) };
}

/** Counts of one step's effect, over its input: rows, and per replaced column cells changed / failed conversions. */
export interface StepCounts {
  rowsIn: number;
  cellsChanged: number;
  /** Non-missing values that became NULL, per converted column, and the non-missing count. */
  failures: { column: string; failed: number; nonMissing: number }[];
}

/**
 * One query over the step's input computing rows in, cells changed (old value IS DISTINCT FROM
 * the step's new value, compared as text when the type changes) and conversion failures; it
 * also evaluates the step's probes, so an expression that fails at run time fails here.
 */
export async function stepCounts(db: DbConnector, input: string, compiled: CompiledStep): Promise<StepCounts> {
  const pairs = [...compiled.changes.map((c) => ({ ...c, failure: false })), ...compiled.failures.map((f) => ({ ...f, asText: false, failure: true }))];
  const inner = pairs.map((p, i) => `${ident(p.column)} AS o${i}, ${p.expr} AS n${i}`);
  const aggs = ['count(*)::BIGINT AS rows_in'];
  (compiled.probes ?? []).forEach((probe, i) => {
    inner.push(`${probe.expr} AS p${i}`);
    aggs.push(`count(p${i}) AS p${i}`);
  });
  pairs.forEach((p, i) => {
    if (p.failure) aggs.push(`count_if(o${i} IS NOT NULL AND n${i} IS NULL)::BIGINT AS f${i}`, `count(o${i})::BIGINT AS nn${i}`);
    else aggs.push(p.asText ? `count_if(o${i}::VARCHAR IS DISTINCT FROM n${i}::VARCHAR)::BIGINT AS c${i}` : `count_if(o${i} IS DISTINCT FROM n${i})::BIGINT AS c${i}`);
  });
  const from = inner.length ? `(SELECT ${inner.join(', ')} FROM ${ident(input)})` : ident(input);
  const o = (await db.query(`SELECT ${aggs.join(', ')} FROM ${from}`)).get(0)!.toJSON() as Record<string, unknown>;
  const n = (k: string) => Number(o[k] ?? 0);
  let cellsChanged = 0;
  const failures: StepCounts['failures'] = [];
  pairs.forEach((p, i) => {
    if (p.failure) failures.push({ column: p.column, failed: n(`f${i}`), nonMissing: n(`nn${i}`) });
    else cellsChanged += n(`c${i}`);
  });
  return { rowsIn: n('rows_in'), cellsChanged, failures };
}

/** Number of rows of a relation. */
export async function countRows(db: DbConnector, name: string): Promise<number> {
  const t = await db.query(`SELECT count(*)::BIGINT AS n FROM ${ident(name)}`);
  return Number(t.get(0)!.toJSON().n);
}

/** Rows of a query as plain objects (BigInt → Number; lists kept as Arrow vectors). */
export async function queryObjects(db: DbConnector, sql: string): Promise<Record<string, unknown>[]> {
  const t = await db.query(sql);
  return t.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });
}
