import { AppError } from '../../core/errors';
import type { CodedColumn } from '../../core/models/column-codes';
import { encodeLabels } from '../../core/models/labels';
import type { Task } from '../../core/models/pipeline';
import { queryColumns } from './arrow-result';
import { describe } from './catalog';
import type { DbConnector } from './connector';
import { featureColumns, type FeatureColumn } from './features';
import { ident, literal } from './sql';

/** A numeric target with at most this many distinct values is treated as classes. */
export const MAX_NUMERIC_CLASSES = 10;

/** A possible target column and the task it implies. */
export interface TargetInfo {
  name: string;
  type: string;
  task: Task;
  distinct: number;
  /** Rows with a target value. */
  present: number;
}

const NUMBER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/i;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/i;

/**
 * The task a target implies: text and booleans are classes; numbers are classes when they take at
 * most {@link MAX_NUMERIC_CLASSES} distinct values, otherwise a regression target.
 */
export async function targetInfo(db: DbConnector, table: string, column: string): Promise<TargetInfo> {
  const col = (await describe(db, ident(table))).find((c) => c.name === column);
  if (!col) throw new AppError('not-found', `${table} has no column "${column}".`, { column });
  const r = (await db.query(`SELECT count(DISTINCT ${ident(column)}) AS d, count(${ident(column)}) AS p FROM ${ident(table)}`)).get(0)!.toJSON();
  const distinct = Number(r.d);
  const present = Number(r.p);
  const task: Task = NUMBER.test(col.type) && distinct > MAX_NUMERIC_CLASSES ? 'regression' : 'classification';
  if (distinct < 2) throw new AppError('invalid-argument', `the target ${column} has ${distinct === 0 ? 'no values' : 'only one value'}; pick a column with at least two.`, { column });
  return { name: column, type: col.type, task, distinct, present };
}

/** Rows of a table read for a model: coded input columns, the target, and each row's DuckDB rowid. */
export interface ModelData {
  table: string;
  columns: CodedColumn[];
  /** Absent when only scoring. */
  target?: { task: 'classification'; codes: Int32Array; classes: string[] } | { task: 'regression'; values: Float64Array };
  rowIds: Int32Array;
  n: number;
}

/** What to read: a table, its feature columns, and optionally a target (rows without it are left out). */
export interface ModelDataSpec {
  table: string;
  features: string[];
  target?: { name: string; task: Task };
}

/**
 * Reads feature columns (and the target) from DuckDB as Arrow columns — numbers as doubles with
 * missing values as NaN, text as dictionary codes — ready to transfer to the models worker. No
 * imputation or scaling here: the model pipeline fits those on its training part only.
 *
 * The codes are computed by DuckDB (in its worker), not by decoding every string on the page's
 * thread: a text column's dictionary is its values in order of first appearance, as
 * encodeCategories (core/models/column-codes.ts) makes it ('' and NULL are missing, code −1), and
 * the target's classes are sorted as {@link encodeLabels} sorts them. A target with more than {@link SQL_CLASSES}
 * classes is decoded here instead.
 */
export async function readModelData(db: DbConnector, spec: ModelDataSpec): Promise<ModelData> {
  const available = await featureColumns(db, spec.table);
  if (spec.features.length === 0) throw new AppError('invalid-argument', 'Choose at least one feature column.');
  const chosen = spec.features.map((name) => {
    const c = available.find((x) => x.name === name);
    if (!c) throw new AppError('invalid-argument', `Column "${name}" of ${spec.table} cannot be a feature: choose number or text columns.`, { column: name });
    if (spec.target && name === spec.target.name) throw new AppError('invalid-argument', `"${name}" is the target; it cannot also be a feature.`, { column: name });
    return c;
  });
  const t = spec.target;
  const table = ident(spec.table);
  const where = t ? `WHERE ${ident(t.name)} IS NOT NULL` : '';
  const numericTarget = t && t.task === 'classification' ? await isNumber(db, spec.table, t.name) : false;
  const rawTarget = t ? (t.task === 'regression' || numericTarget ? `${ident(t.name)}::DOUBLE` : `${ident(t.name)}::VARCHAR`) : 'NULL';
  const classes = t && t.task === 'classification' ? await targetClasses(db, table, where, rawTarget, numericTarget, t.name) : null;
  const targetExpr = classes ? `(list_position(${classList(classes, numericTarget)}, ${rawTarget}) - 1)::INTEGER` : rawTarget;
  const dictionaries = await Promise.all(chosen.map((c) => (c.kind === 'categorical' ? firstSeen(db, table, where, c.name) : Promise.resolve(null))));
  // Inner query: numbers, and for text the first row of each value among the rows read; outer
  // query: a text code is the rank of its value's first row (first appearance), −1 when missing.
  const inner = chosen.map((c, j) => {
    if (c.kind === 'numeric') return `coalesce(${ident(c.name)}::DOUBLE, 'NaN'::DOUBLE) AS f${j}`;
    const v = `${ident(c.name)}::VARCHAR`;
    return `CASE WHEN ${v} IS NULL OR ${v} = '' THEN NULL ELSE min(rowid) OVER (PARTITION BY ${v}) END AS f${j}`;
  });
  const outer = chosen.map((c, j) => (c.kind === 'numeric' ? `f${j}` : `CASE WHEN f${j} IS NULL THEN -1 ELSE dense_rank() OVER (ORDER BY f${j} NULLS LAST) - 1 END::INTEGER AS f${j}`));
  const result = await queryColumns(
    db,
    `SELECT __rowid, __target, ${outer.join(', ')} FROM (SELECT rowid::INTEGER AS __rowid, ${targetExpr} AS __target, ${inner.join(', ')} FROM ${table} ${where}) ORDER BY __rowid`,
    chosen.length + 2,
  );
  const n = result.numRows;
  if (n === 0) throw new AppError('invalid-argument', t ? `${spec.table} has no rows with a value in ${t.name}.` : `${spec.table} has no rows.`);
  const rowIds = Int32Array.from(result.getChildAt(0)!.toArray() as Int32Array);
  const columns = chosen.map((c, j): CodedColumn => {
    const vec = result.getChildAt(j + 2)!;
    if (c.kind === 'numeric') return { name: c.name, kind: 'numeric', values: Float64Array.from(vec.toArray() as Float64Array) };
    return { name: c.name, kind: 'categorical', codes: Int32Array.from(vec.toArray() as Int32Array), dictionary: dictionaries[j]! };
  });
  let target: ModelData['target'];
  if (t) {
    const raw = result.getChildAt(1)!.toArray() as ArrayLike<string | number>;
    if (t.task === 'regression') target = { task: 'regression', values: Float64Array.from(raw as ArrayLike<number>) };
    else if (classes) target = { task: 'classification', codes: Int32Array.from(raw as ArrayLike<number>), classes };
    else {
      const labels = encodeLabels(numericTarget ? Array.from(raw as ArrayLike<number>) : Array.from(raw as ArrayLike<string>));
      if (labels.classes.length < 2) throw new AppError('invalid-argument', `the target ${t.name} has only one class (${labels.classes[0]}); a classifier needs two or more.`, { column: t.name });
      target = { task: 'classification', ...labels };
    }
  }
  return { table: spec.table, columns, target, rowIds, n };
}

/** Most target classes whose codes DuckDB computes (a list lookup per row); past it the page decodes the labels. */
export const SQL_CLASSES = 256;

/**
 * The target's classes as {@link encodeLabels} names and sorts them (numbers numerically, text by
 * code unit), or null when there are more than {@link SQL_CLASSES}. Throws, as encodeLabels
 * does, on an empty or NaN label (naming its row among those read) and on a single class.
 */
async function targetClasses(db: DbConnector, table: string, where: string, raw: string, numeric: boolean, name: string): Promise<string[] | null> {
  const rows = (await db.query(`SELECT DISTINCT ${raw} AS v FROM ${table} ${where} LIMIT ${SQL_CLASSES + 1}`)).toArray().map((r) => r.toJSON().v as string | number);
  if (rows.length > SQL_CLASSES) return null;
  const bad = rows.find((v) => v === '' || (typeof v === 'number' && Number.isNaN(v)));
  if (bad !== undefined) {
    const test = numeric ? `isnan(${raw})` : `${raw} = ''`;
    const at = (await db.query(`SELECT count(*) AS k FROM ${table} ${where} AND rowid < (SELECT min(rowid) FROM ${table} ${where} AND ${test})`)).get(0)!.toJSON();
    throw new AppError('invalid-argument', `the target is missing on row ${Number(at.k) + 1}; drop rows without a target before training.`, { column: name });
  }
  const classes = numeric ? (rows as number[]).sort((a, b) => a - b).map(String) : (rows as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classes.length < 2) throw new AppError('invalid-argument', `the target ${name} has only one class (${classes[0]}); a classifier needs two or more.`, { column: name });
  return classes;
}

/** A list literal of the classes, as numbers for a numeric target (String(x) reads back as x). */
function classList(classes: string[], numeric: boolean): string {
  return numeric ? `[${classes.map((c) => `${literal(c)}::DOUBLE`).join(', ')}]` : `[${classes.map(literal).join(', ')}]::VARCHAR[]`;
}

/** A text column's values among the rows read, in order of first appearance ('' and NULL left out). */
async function firstSeen(db: DbConnector, table: string, where: string, column: string): Promise<string[]> {
  const v = `${ident(column)}::VARCHAR`;
  const r = await db.query(`SELECT ${v} AS v FROM ${table} ${where ? `${where} AND` : 'WHERE'} ${v} IS NOT NULL AND ${v} <> '' GROUP BY 1 ORDER BY min(rowid)`);
  return r.toArray().map((row) => String(row.toJSON().v));
}

async function isNumber(db: DbConnector, table: string, column: string): Promise<boolean> {
  const col = (await describe(db, ident(table))).find((c) => c.name === column);
  return !!col && NUMBER.test(col.type);
}

/** Why a column is suggested to be left out. */
export type FeatureFlag = 'id-like' | 'constant' | 'near-empty' | 'leakage';

/** A candidate feature with what we found about it. */
export interface FeatureAdvice extends FeatureColumn {
  distinct: number;
  missingShare: number;
  flags: FeatureFlag[];
  /** Why it is flagged, in words. */
  reasons: string[];
  /** Mutual information with the target in bits (classification) or |correlation| (regression). */
  relevance: number;
  /** Share of the target's uncertainty (classification) or error (regression) this column alone removes, in [0, 1]. */
  alone: number;
}

/** Share of missing values at or above which a column is "near-empty". */
export const NEAR_EMPTY = 0.8;
/** A column that alone removes at least this share of the target's error is flagged as leakage. */
export const LEAKAGE = 0.9;

const ID_NAME = /(^|_)(id|key|uuid|guid)$/i;

/**
 * Feature advice for a target: flags id-like columns (an id name, or text/whole numbers with a
 * distinct value on nearly every row), constant and near-empty ones, and leakage — a column that
 * alone predicts the target almost perfectly (removes ≥ 90 % of the majority-class error, or
 * |r| ≥ 0.95 for a number target) is flagged, never silently used. Ranks the rest by mutual
 * information (numbers with over 20 values cut into 20 quantile bins) or by |correlation| (correlation ratio η for text).
 */
export async function suggestFeatures(db: DbConnector, table: string, target: TargetInfo): Promise<FeatureAdvice[]> {
  const cols = (await featureColumns(db, table)).filter((c) => c.name !== target.name);
  const t = ident(table);
  const y = ident(target.name);
  const out: FeatureAdvice[] = [];
  const n = Number((await db.query(`SELECT count(*) AS n FROM ${t}`)).get(0)!.toJSON().n);
  for (const c of cols) {
    const x = ident(c.name);
    const s = (await db.query(`SELECT count(DISTINCT ${x}) AS d, count(*) - count(${x}) AS m FROM ${t}`)).get(0)!.toJSON();
    const distinct = Number(s.d);
    const missingShare = n > 0 ? Number(s.m) / n : 1;
    const flags: FeatureFlag[] = [];
    const reasons: string[] = [];
    const idLike = ID_NAME.test(c.name) || (n > 20 && distinct >= 0.9 * (n - Number(s.m)) && (c.kind === 'categorical' || INTEGER.test(c.type)));
    if (idLike) {
      flags.push('id-like');
      reasons.push(ID_NAME.test(c.name) ? 'its name says it is an identifier' : `${distinct.toLocaleString('en-US')} distinct values in ${n.toLocaleString('en-US')} rows: an identifier, not a trait`);
    }
    if (distinct <= 1) {
      flags.push('constant');
      reasons.push(distinct === 0 ? 'no values' : 'the same value on every row');
    }
    if (missingShare >= NEAR_EMPTY) {
      flags.push('near-empty');
      reasons.push(`${Math.round(missingShare * 100)} % missing`);
    }
    const bin = c.kind === 'numeric' && distinct > 20 ? `CASE WHEN ${x} IS NULL THEN -1 ELSE ntile(20) OVER (PARTITION BY ${x} IS NULL ORDER BY ${x}) END` : `coalesce(${x}::VARCHAR, '(missing)')`;
    let relevance = 0;
    let alone = 0;
    if (distinct > 1) {
      if (target.task === 'classification') {
        const rows = (await db.query(`SELECT b::VARCHAR AS b, y, count(*)::DOUBLE AS k FROM (SELECT ${bin} AS b, ${y}::VARCHAR AS y FROM ${t} WHERE ${y} IS NOT NULL) GROUP BY ALL`)).toArray().map((r) => r.toJSON() as { b: string; y: string; k: number });
        ({ relevance, alone } = classDependence(rows));
      } else if (c.kind === 'numeric') {
        const r = Number((await db.query(`SELECT corr(${x}::DOUBLE, ${y}::DOUBLE) AS r FROM ${t}`)).get(0)!.toJSON().r);
        relevance = Number.isFinite(r) ? Math.abs(r) : 0;
        alone = relevance * relevance;
      } else {
        const r = (await db.query(`WITH d AS (SELECT coalesce(${x}::VARCHAR, '(missing)') AS g, ${y}::DOUBLE AS v FROM ${t} WHERE ${y} IS NOT NULL), m AS (SELECT avg(v) AS mu FROM d)
          SELECT (SELECT sum(k * (gm - mu) ^ 2) FROM (SELECT count(*) AS k, avg(v) AS gm FROM d GROUP BY g), m) / nullif((SELECT sum((v - mu) ^ 2) FROM d, m), 0) AS eta2`)).get(0)!.toJSON();
        alone = Number(r.eta2) || 0;
        relevance = Math.sqrt(alone);
      }
      if (!idLike && alone >= (target.task === 'classification' ? LEAKAGE : 0.95 ** 2)) {
        flags.push('leakage');
        reasons.push(target.task === 'classification'
          ? `alone it removes ${Math.round(alone * 100)} % of the errors in predicting ${target.name}: probably recorded after the outcome`
          : `alone it explains ${Math.round(alone * 100)} % of the variance of ${target.name}: probably derived from it`);
      }
    }
    out.push({ ...c, distinct, missingShare, flags, reasons, relevance, alone });
  }
  return out.sort((a, b) => b.relevance - a.relevance);
}

/**
 * Mutual information (bits) between a binned feature and the classes, from a contingency table,
 * and the share of the majority-class error that predicting the majority class of each bin removes.
 */
export function classDependence(cells: { b: string; y: string; k: number }[]): { relevance: number; alone: number } {
  const total = cells.reduce((a, c) => a + c.k, 0);
  const byBin = new Map<string, number>();
  const byClass = new Map<string, number>();
  const bestInBin = new Map<string, number>();
  for (const c of cells) {
    byBin.set(c.b, (byBin.get(c.b) ?? 0) + c.k);
    byClass.set(c.y, (byClass.get(c.y) ?? 0) + c.k);
    bestInBin.set(c.b, Math.max(bestInBin.get(c.b) ?? 0, c.k));
  }
  let mi = 0;
  for (const c of cells) if (c.k > 0) mi += (c.k / total) * Math.log2((c.k * total) / (byBin.get(c.b)! * byClass.get(c.y)!));
  const baseError = 1 - Math.max(...byClass.values()) / total;
  const binError = 1 - [...bestInBin.values()].reduce((a, b) => a + b, 0) / total;
  return { relevance: Math.max(0, mi), alone: baseError > 0 ? Math.max(0, 1 - binError / baseError) : 0 };
}
