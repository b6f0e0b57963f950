import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { AppError } from '../../core/errors';
import { describe } from './catalog';
import type { DbConnector } from './connector';
import { ident, literal } from './sql';

/** Scores of a table's rows, by DuckDB rowid. */
export interface RowScores {
  rowIds: Int32Array;
  /** P(positive class) for a binary classifier, the winning class's probability for K > 2; absent for regression. */
  probability?: Float64Array;
  /** Predicted class codes with their names (classification), or predicted values (regression). */
  predicted: { codes: Int32Array; classes: string[] } | Float64Array;
}

/** Where to write: the source table, its key column (or null for the row number), and the new table. */
export interface ScoreTableSpec {
  source: string;
  key: string | null;
  output: string;
}

const STAGING = '__clientele_scores';

/**
 * Writes scores as a new table `output`, joined to the source on DuckDB's rowid: the key column,
 * `probability` and `predicted_class` (classification) or `prediction` (regression), and `decile`
 * (1 = the tenth with the highest probability or prediction, by `ntile(10)`). Replaces a table of
 * that name. Returns the number of rows written.
 */
export async function writeScoreTable(db: DbConnector, spec: ScoreTableSpec, scores: RowScores): Promise<number> {
  const output = spec.output.trim();
  if (!output) throw new AppError('invalid-argument', 'The scores table needs a name, e.g. "churn_scores".');
  if (output.toLowerCase() === spec.source.toLowerCase()) throw new AppError('invalid-argument', `The scores table cannot replace its source ${spec.source}; choose another name.`);
  if (spec.key) {
    const cols = await describe(db, ident(spec.source));
    if (!cols.some((c) => c.name === spec.key)) throw new AppError('not-found', `${spec.source} has no column "${spec.key}" to use as the key.`, { column: spec.key });
  }
  // Only typed arrays go through Arrow here: building a text column in apache-arrow compiles a
  // function at run time, which the page's Content-Security-Policy (no 'unsafe-eval') refuses.
  // Class names are looked up in SQL from the codes instead.
  const predicted = scores.predicted;
  const classification = !(predicted instanceof Float64Array);
  const table = classification
    ? tableFromArrays({ rid: scores.rowIds, probability: scores.probability ?? new Float64Array(scores.rowIds.length).fill(NaN), code: predicted.codes })
    : tableFromArrays({ rid: scores.rowIds, prediction: predicted });
  await db.query(`DROP TABLE IF EXISTS ${ident(STAGING)}`);
  await db.insertArrowIPC(STAGING, tableToIPC(table, 'stream'), true);
  try {
    const key = spec.key ? `t.${ident(spec.key)}` : '(t.rowid + 1)::BIGINT AS row_number';
    const rank = classification ? 's.probability' : 's.prediction';
    const fields = classification ? `s.probability, (${`[${predicted.classes.map(literal).join(', ')}]`})[s.code + 1] AS predicted_class` : 's.prediction';
    await db.query(`CREATE OR REPLACE TABLE ${ident(output)} AS SELECT ${key}, ${fields}, ntile(10) OVER (ORDER BY ${rank} DESC, t.rowid) AS decile FROM ${ident(spec.source)} t JOIN ${ident(STAGING)} s ON s.rid = t.rowid ORDER BY t.rowid`);
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${ident(STAGING)}`);
  }
  return scores.rowIds.length;
}

/** The `limit` rows of a scores table with the highest probability (or prediction), as plain objects. */
export async function topScores(db: DbConnector, table: string, limit = 10): Promise<Record<string, string | number | null>[]> {
  const cols = await describe(db, ident(table));
  const by = cols.some((c) => c.name === 'probability') ? 'probability' : 'prediction';
  const result = await db.query(`SELECT * FROM ${ident(table)} ORDER BY ${ident(by)} DESC NULLS LAST LIMIT ${Math.max(1, Math.floor(limit))}`);
  return result.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    const out: Record<string, string | number | null> = {};
    for (const [k, v] of Object.entries(o)) out[k] = v === null || v === undefined ? null : typeof v === 'bigint' || typeof v === 'number' ? Number(v) : String(v);
    return out;
  });
}

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'bigint' ? v.toString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table as CSV text (header row, comma-separated, RFC 4180 quoting), read from DuckDB as Arrow. */
export async function tableCsv(db: DbConnector, table: string): Promise<string> {
  const result = await db.query(`SELECT * FROM ${ident(table)}`);
  const names = result.schema.fields.map((f) => f.name);
  const columns = names.map((_, j) => result.getChildAt(j)!);
  const lines = [names.map(csvField).join(',')];
  for (let i = 0; i < result.numRows; i++) lines.push(columns.map((c) => csvField(c.get(i))).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * DuckDB rowids of the rows of `table` whose `key` column reads `value` (compared as text,
 * trimmed), in row order: at most `limit`, and how many there are in all.
 */
export async function rowsWithKey(db: DbConnector, table: string, key: string, value: string, limit = 10): Promise<{ rowIds: number[]; count: number }> {
  const match = `CAST(${ident(key)} AS VARCHAR) = ${literal(value.trim())}`;
  const result = await db.query(
    `SELECT rowid::BIGINT AS rid, count(*) OVER () AS n FROM ${ident(table)} WHERE ${match} ORDER BY rowid LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  const rows = result.toArray().map((r) => r.toJSON() as { rid: bigint | number; n: bigint | number });
  return { rowIds: rows.map((r) => Number(r.rid)), count: rows.length ? Number(rows[0].n) : 0 };
}

/** The first `limit` distinct non-missing values of a key column, in row order (to pick from). */
export async function keyValues(db: DbConnector, table: string, key: string, limit = 50): Promise<string[]> {
  const k = ident(key);
  const result = await db.query(
    `SELECT v FROM (SELECT CAST(${k} AS VARCHAR) AS v, min(rowid) AS first FROM ${ident(table)} WHERE ${k} IS NOT NULL GROUP BY 1) ORDER BY first LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  return result.toArray().map((r) => String((r.toJSON() as { v: string }).v));
}
