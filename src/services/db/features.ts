import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { AppError } from '../../core/errors';
import { queryColumns } from './arrow-result';
import { describe } from './catalog';
import type { DbConnector } from './connector';
import { ident, literal } from './sql';

/** How numeric features are put on one scale before distances are measured. */
export type Scaling = 'standardize' | 'min-max' | 'none';

/** What kind of feature a column gives. */
export type FeatureKind = 'numeric' | 'categorical';

/** A column the analyst can cluster on. */
export interface FeatureColumn {
  name: string;
  type: string;
  kind: FeatureKind;
}

/** What to build: a table, some of its columns, the scaling, and how many categories to keep. */
export interface FeatureSpec {
  table: string;
  columns: string[];
  scaling: Scaling;
  /** Categories kept per categorical column (most frequent first); the rest become "other" (default 8). */
  topK?: number;
}

/** A feature matrix ready for the mining worker, with what is needed to explain and write back. */
export interface FeatureMatrix {
  /** n × d, row-major. */
  data: Float64Array;
  n: number;
  d: number;
  /** Feature names: numeric columns by name, one-hot columns as `column = value` / `column = (other)`. */
  names: string[];
  /** DuckDB `rowid` of each matrix row, to write results back. */
  rowIds: Int32Array;
  /** The rules applied, in words (imputation, scaling, categories), shown to the analyst. */
  notes: string[];
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL.*|BOOLEAN)$/i;
const CATEGORICAL = /^(VARCHAR|ENUM.*)$/i;

/** The columns of a table that can be features: numbers and booleans, and text as categories. */
export async function featureColumns(db: DbConnector, table: string): Promise<FeatureColumn[]> {
  const cols = await describe(db, ident(table));
  return cols.flatMap((c): FeatureColumn[] => (NUMERIC.test(c.type) ? [{ ...c, kind: 'numeric' }] : CATEGORICAL.test(c.type) ? [{ ...c, kind: 'categorical' }] : []));
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/**
 * Builds a feature matrix from DuckDB, moving only Arrow columns of doubles (never row objects).
 * Numeric columns: missing values are replaced by the column mean (mean imputation), then scaled —
 * standardize: (x − mean) / population std (constant columns become 0); min-max: (x − min) /
 * (max − min); none. Text columns: one 0/1 column per category among the `topK` most frequent,
 * plus one for all other values and missing ("(other)"); one-hot columns are not scaled.
 */
export async function buildFeatureMatrix(db: DbConnector, spec: FeatureSpec): Promise<FeatureMatrix> {
  const topK = spec.topK ?? 8;
  const available = await featureColumns(db, spec.table);
  const chosen = spec.columns.map((name) => {
    const c = available.find((x) => x.name === name);
    if (!c) throw new AppError('invalid-argument', `Column "${name}" of ${spec.table} cannot be a feature: choose numeric or text columns.`, { column: name });
    return c;
  });
  if (chosen.length === 0) throw new AppError('invalid-argument', 'Choose at least one feature column to segment on.');
  const t = ident(spec.table);
  const numeric = chosen.filter((c) => c.kind === 'numeric');
  const notes: string[] = [];
  const exprs: string[] = [];
  const names: string[] = [];
  if (numeric.length > 0) {
    const stats = (await db.query(`SELECT ${numeric
      .map((c, j) => { const x = `${ident(c.name)}::DOUBLE`; return `avg(${x}) AS m${j}, stddev_pop(${x}) AS s${j}, min(${x}) AS lo${j}, max(${x}) AS hi${j}, count(*) - count(${x}) AS miss${j}`; })
      .join(', ')} FROM ${t}`)).get(0)!.toJSON();
    numeric.forEach((c, j) => {
      const mean = num(stats[`m${j}`]);
      if (!Number.isFinite(mean)) throw new AppError('invalid-argument', `Column "${c.name}" of ${spec.table} has no values: leave it out.`, { column: c.name });
      const sd = num(stats[`s${j}`]);
      const lo = num(stats[`lo${j}`]);
      const hi = num(stats[`hi${j}`]);
      const missing = num(stats[`miss${j}`]);
      const x = `coalesce(${ident(c.name)}::DOUBLE, ${mean})`;
      if (missing > 0) notes.push(`${c.name}: ${missing.toLocaleString('en-US')} missing values replaced by the mean, ${+mean.toPrecision(6)}.`);
      if (spec.scaling === 'standardize') exprs.push(sd > 0 ? `(${x} - ${mean}) / ${sd}` : '0::DOUBLE');
      else if (spec.scaling === 'min-max') exprs.push(hi > lo ? `(${x} - ${lo}) / ${hi - lo}` : '0::DOUBLE');
      else exprs.push(x);
      names.push(c.name);
    });
    notes.push(spec.scaling === 'standardize' ? 'Numeric columns standardized: (x − mean) / std.' : spec.scaling === 'min-max' ? 'Numeric columns scaled to [0, 1]: (x − min) / (max − min).' : 'Numeric columns used as they are (no scaling).');
  }
  for (const c of chosen.filter((x) => x.kind === 'categorical')) {
    const top = await db.query(`SELECT ${ident(c.name)}::VARCHAR AS v FROM ${t} WHERE ${ident(c.name)} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${topK}`);
    const values = top.toArray().map((r) => String(r.toJSON().v));
    for (const v of values) {
      exprs.push(`coalesce(${ident(c.name)}::VARCHAR = ${literal(v)}, false)::DOUBLE`);
      names.push(`${c.name} = ${v}`);
    }
    exprs.push(`coalesce(${ident(c.name)}::VARCHAR NOT IN (${values.map(literal).join(', ') || 'NULL'}), true)::DOUBLE`);
    names.push(`${c.name} = (other)`);
    notes.push(`${c.name}: one 0/1 column for each of its ${values.length} most frequent values, one for the rest and missing.`);
  }
  const result = await queryColumns(db, `SELECT rowid::INTEGER AS __rowid, ${exprs.map((e, j) => `${e} AS f${j}`).join(', ')} FROM ${t} ORDER BY rowid`, names.length + 1);
  return { ...toRowMajor(result, names.length), names, notes };
}

/** Interleaves the Arrow columns f0..f(d−1) into one row-major array; column 0 holds the row ids. */
function toRowMajor(result: Table, d: number): Pick<FeatureMatrix, 'data' | 'n' | 'd' | 'rowIds'> {
  const n = result.numRows;
  const rowIds = Int32Array.from(result.getChildAt(0)!.toArray() as Int32Array);
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = result.getChildAt(j + 1)!.toArray() as Float64Array;
    for (let i = 0; i < n; i++) data[i * d + j] = col[i];
  }
  return { data, n, d, rowIds };
}

/** Name of the temporary table that holds labels while they are joined to their rows. */
const LABELS = '__clientele_labels';

/**
 * Runs `fn` while a table `__clientele_labels(rid INTEGER, label INTEGER)` holds one label per
 * row id (inserted as Arrow IPC), then drops it.
 */
export async function withLabels<T>(db: DbConnector, rowIds: Int32Array, labels: Int32Array, fn: (relation: string) => Promise<T>): Promise<T> {
  const ipc = tableToIPC(tableFromArrays({ rid: rowIds, label: labels }), 'stream');
  await db.query(`DROP TABLE IF EXISTS ${ident(LABELS)}`);
  await db.insertArrowIPC(LABELS, ipc, true);
  try {
    return await fn(ident(LABELS));
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${ident(LABELS)}`);
  }
}

/** Largest table whose saved labels are also kept as replayable SQL (a list literal of labels). */
export const REPLAYABLE_LABELS = 200_000;

/**
 * Writes one label per row into `table` as an INTEGER column `column` (replaced when it exists),
 * by joining the labels on DuckDB's rowid; rows without a label get NULL. Row order is kept.
 * Returns an equivalent self-contained statement (labels as a list literal indexed by rowid) that
 * the workspace can redo after an engine restart, or null past {@link REPLAYABLE_LABELS} rows.
 */
export async function writeLabelColumn(db: DbConnector, table: string, column: string, rowIds: Int32Array, labels: Int32Array): Promise<string | null> {
  const name = column.trim();
  if (!name) throw new AppError('invalid-argument', 'The new column needs a name, e.g. "cluster".');
  const existing = await describe(db, ident(table));
  const keep = existing.some((c) => c.name.toLowerCase() === name.toLowerCase()) ? ` EXCLUDE (${ident(name)})` : '';
  await withLabels(db, rowIds, labels, (l) =>
    db.query(`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT t.*${keep}, l.label AS ${ident(name)} FROM ${ident(table)} t LEFT JOIN ${l} l ON l.rid = t.rowid ORDER BY t.rowid`),
  );
  if (rowIds.length > REPLAYABLE_LABELS) return null;
  let top = -1;
  for (const r of rowIds) top = Math.max(top, r);
  const byRow: (number | null)[] = new Array(top + 1).fill(null);
  rowIds.forEach((r, i) => (byRow[r] = labels[i]));
  const list = `[${byRow.map((v) => (v === null ? 'NULL' : String(v))).join(',')}]::INTEGER[]`;
  return `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT t.*${keep}, (${list})[t.rowid + 1] AS ${ident(name)} FROM ${ident(table)} t ORDER BY t.rowid`;
}
