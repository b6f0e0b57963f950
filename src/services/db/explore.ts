import type { Table } from 'apache-arrow';
import { AppError } from '../../core/errors';
import { chiSquareIndependence, type ChiSquareTest } from '../../core/stats/chi-square';
import { binnedKde, gridPoints, scottBandwidth, type CountBin } from '../../core/stats/kde';
import type { DbConnector } from './connector';
import { ident } from './sql';

/**
 * SQL for the Explore room. Every chart is an aggregate computed by DuckDB over all rows (only
 * bins, groups or a bounded sample cross to JS), so charts stay fast on millions of rows. Each
 * builder reads its input columns into short aliases in a first CTE, so later clauses never meet
 * an analyst's column name.
 */

/** A range brushed on a histogram: rows whose `column` lies in [lo, hi]. */
export interface RangeFilter {
  column: string;
  lo: number;
  hi: number;
}

/** How a measure is aggregated per group. */
export type Aggregate = 'count' | 'sum' | 'mean';

/** The WHERE conditions a brushed range adds to another chart's query. */
export function filterConditions(filter: RangeFilter | null): string[] {
  if (!filter) return [];
  if (!Number.isFinite(filter.lo) || !Number.isFinite(filter.hi)) throw new AppError('invalid-argument', `The filter on "${filter.column}" needs finite bounds.`);
  return [`${ident(filter.column)}::DOUBLE BETWEEN ${filter.lo} AND ${filter.hi}`];
}

function where(conds: string[]): string {
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/** Rows of a result as plain objects (BigInt as Number). */
function objects(t: Table): Record<string, unknown>[] {
  return t.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });
}

function numericValues(table: string, column: string, filter: RangeFilter | null): string {
  const x = `${ident(column)}::DOUBLE`;
  return `SELECT ${x} AS x FROM ${ident(table)}${where([`isfinite(${x})`, ...filterConditions(filter)])}`;
}

/** Five-number summary of a numeric column with Tukey's fences (1.5 IQR). */
export interface NumericSummary {
  n: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  q1: number;
  median: number;
  q3: number;
  /** Lowest and highest values inside the fences (the box plot's whiskers). */
  whiskerLo: number;
  whiskerHi: number;
  /** Values outside [q1 − 1.5 IQR, q3 + 1.5 IQR]. */
  outliers: number;
}

/**
 * Count, range, mean, sample standard deviation, quartiles (quantile_cont: linear interpolation,
 * as numpy.percentile) and the whiskers and outlier count of a box plot, in one query.
 */
export function numericSummarySql(table: string, column: string, filter: RangeFilter | null): string {
  return `WITH v AS (${numericValues(table, column, filter)}),
s AS (SELECT count(*)::BIGINT AS n, min(x) AS min, max(x) AS max, avg(x) AS mean, stddev_samp(x) AS std,
  quantile_cont(x, 0.25) AS q1, quantile_cont(x, 0.5) AS median, quantile_cont(x, 0.75) AS q3 FROM v),
f AS (SELECT q1 - 1.5 * (q3 - q1) AS lo, q3 + 1.5 * (q3 - q1) AS hi FROM s)
SELECT s.*, (SELECT min(x) FROM v, f WHERE x >= f.lo) AS whisker_lo, (SELECT max(x) FROM v, f WHERE x <= f.hi) AS whisker_hi,
  (SELECT count(*)::BIGINT FROM v, f WHERE x < f.lo OR x > f.hi) AS outliers FROM s`;
}

/** Runs {@link numericSummarySql}; refuses a column with no numeric values. */
export async function readNumericSummary(db: DbConnector, table: string, column: string, filter: RangeFilter | null): Promise<NumericSummary> {
  const o = objects(await db.query(numericSummarySql(table, column, filter)))[0] ?? {};
  const s: NumericSummary = {
    n: num(o.n), min: num(o.min), max: num(o.max), mean: num(o.mean), std: num(o.std), q1: num(o.q1), median: num(o.median), q3: num(o.q3),
    whiskerLo: num(o.whisker_lo), whiskerHi: num(o.whisker_hi), outliers: num(o.outliers),
  };
  if (!(s.n > 0)) throw new AppError('invalid-argument', `Column "${column}" of ${table} has no numeric values${filter ? ' in the filtered rows' : ''}: choose a numeric column${filter ? ' or clear the filter' : ''}.`, { column });
  return s;
}

/** Equal-width bin counts of a numeric column over [lo, hi] (the last bin includes hi). */
export function histogramBinsSql(table: string, column: string, lo: number, hi: number, bins: number, filter: RangeFilter | null): string {
  const width = hi > lo ? (hi - lo) / bins : 1;
  return `SELECT least(floor((x - ${lo}) / ${width}), ${bins - 1})::INTEGER AS b, count(*)::BIGINT AS n FROM (${numericValues(table, column, filter)}) WHERE x BETWEEN ${lo} AND ${hi} GROUP BY 1 ORDER BY 1`;
}

/** Every bin of a histogram, empty ones included, over [lo, hi]. */
export async function readHistogram(db: DbConnector, table: string, column: string, lo: number, hi: number, bins: number, filter: RangeFilter | null): Promise<CountBin[]> {
  const count = hi > lo ? Math.max(1, Math.min(500, Math.round(bins))) : 1;
  const width = hi > lo ? (hi - lo) / count : 1;
  const out = Array.from({ length: count }, (_, k) => ({ x0: lo + k * width, x1: k === count - 1 && hi > lo ? hi : lo + (k + 1) * width, count: 0 }));
  for (const o of objects(await db.query(histogramBinsSql(table, column, lo, hi, count, filter)))) out[num(o.b)].count = num(o.n);
  return out;
}

/** A density curve: where it was evaluated, how, and on how many rows. */
export interface DensityCurve {
  points: { x: number; y: number }[];
  bandwidth: number;
  n: number;
  /** Bins the rows were counted into before the kernel sum. */
  bins: number;
}

/**
 * A Gaussian KDE over all rows: DuckDB counts them into 256 bins, the kernel sum runs over the
 * bins (src/core/stats/kde.ts) with Scott's bandwidth, and the curve is drawn 3 bandwidths past
 * the data on either side.
 */
export async function readDensity(db: DbConnector, table: string, column: string, summary: NumericSummary, filter: RangeFilter | null): Promise<DensityCurve> {
  const bins = await readHistogram(db, table, column, summary.min, summary.max, 256, filter);
  const h = scottBandwidth(summary.std > 0 ? summary.std : 1, summary.n);
  const xs = gridPoints(summary.min - 3 * h, summary.max + 3 * h, 120);
  const ys = binnedKde(bins, h, xs);
  return { points: xs.map((x, i) => ({ x, y: ys[i] })), bandwidth: h, n: summary.n, bins: bins.length };
}

/** The most frequent values of a column (missing as "(missing)"), then "(other)" for the rest. */
export function topCategoriesSql(table: string, column: string, top: number, filter: RangeFilter | null): string {
  return `WITH c AS (SELECT coalesce(${ident(column)}::VARCHAR, '(missing)') AS v, count(*)::BIGINT AS n FROM ${ident(table)}${where(filterConditions(filter))} GROUP BY 1),
k AS (SELECT v, n, row_number() OVER (ORDER BY n DESC, v) AS k FROM c)
SELECT v, n FROM (SELECT v, n, k FROM k WHERE k <= ${top} UNION ALL SELECT '(other)', sum(n)::BIGINT, ${top + 1} FROM k WHERE k > ${top} HAVING count(*) > 0) ORDER BY k`;
}

/** Runs {@link topCategoriesSql}. */
export async function readTopCategories(db: DbConnector, table: string, column: string, top: number, filter: RangeFilter | null): Promise<{ label: string; count: number }[]> {
  return objects(await db.query(topCategoriesSql(table, column, top, filter))).map((o) => ({ label: String(o.v), count: num(o.n) }));
}

/** The OLS line of y on x over every row with both values, and its R². */
export interface Trend {
  slope: number;
  intercept: number;
  r2: number;
  n: number;
}

/** regr_slope / regr_intercept / regr_r2 of y on x over all rows (DuckDB's SQL:2003 aggregates). */
export function trendSql(table: string, x: string, y: string, filter: RangeFilter | null): string {
  return `SELECT regr_slope(y, x) AS slope, regr_intercept(y, x) AS intercept, regr_r2(y, x) AS r2, regr_count(y, x)::BIGINT AS n
FROM (SELECT ${ident(x)}::DOUBLE AS x, ${ident(y)}::DOUBLE AS y FROM ${ident(table)}${where(filterConditions(filter))}) WHERE isfinite(x) AND isfinite(y)`;
}

/**
 * At most `limit` (x, y) pairs drawn by DuckDB's reservoir sample with a fixed seed, so the same
 * data gives the same points (the trend line still comes from all rows: {@link trendSql}).
 */
export function scatterSampleSql(table: string, x: string, y: string, limit: number, seed: number, filter: RangeFilter | null): string {
  return `SELECT x, y FROM (SELECT ${ident(x)}::DOUBLE AS x, ${ident(y)}::DOUBLE AS y FROM ${ident(table)}${where(filterConditions(filter))}) WHERE isfinite(x) AND isfinite(y)
USING SAMPLE reservoir(${Math.max(1, Math.floor(limit))} ROWS) REPEATABLE (${Math.floor(seed)})`;
}

/** A scatter's sampled points and the trend over all rows. */
export async function readScatter(db: DbConnector, table: string, x: string, y: string, options: { limit: number; seed: number; filter: RangeFilter | null }): Promise<{ points: { x: number; y: number }[]; trend: Trend }> {
  const t = objects(await db.query(trendSql(table, x, y, options.filter)))[0] ?? {};
  const trend = { slope: num(t.slope), intercept: num(t.intercept), r2: num(t.r2), n: num(t.n) };
  if (!(trend.n > 0)) throw new AppError('invalid-argument', `No row of ${table} has numbers in both "${x}" and "${y}": choose two numeric columns.`);
  const sample = await db.query(scatterSampleSql(table, x, y, options.limit, options.seed, options.filter));
  const xs = sample.getChild('x')!;
  const ys = sample.getChild('y')!;
  const points = Array.from({ length: sample.numRows }, (_, i) => ({ x: Number(xs.get(i)), y: Number(ys.get(i)) }));
  return { points, trend };
}

/** Options of {@link crossAggregateSql}. */
export interface CrossOptions {
  /** Measure column for sum/mean (ignored for count). */
  measure?: string;
  aggregate: Aggregate;
  /** Keep this many most frequent row/column categories; the rest become "(other)". */
  topRows?: number;
  topColumns?: number;
  /** Leave out rows missing either category (as pandas.crosstab does) instead of "(missing)". */
  dropMissing?: boolean;
  filter: RangeFilter | null;
}

/**
 * One aggregate per (row category, column category): the data of grouped/stacked bars, pivot
 * tables and crosstabs. Categories beyond the most frequent `topRows`/`topColumns` are lumped
 * into "(other)"; `n` counts the rows of each cell.
 */
export function crossAggregateSql(table: string, rowColumn: string, columnColumn: string, o: CrossOptions): string {
  if (o.aggregate !== 'count' && !o.measure) throw new AppError('invalid-argument', `Choose a measure column to ${o.aggregate === 'sum' ? 'sum' : 'average'}.`);
  const v = o.aggregate === 'count' ? 'NULL::DOUBLE' : `${ident(o.measure!)}::DOUBLE`;
  const conds = [...filterConditions(o.filter), ...(o.dropMissing ? [`${ident(rowColumn)} IS NOT NULL`, `${ident(columnColumn)} IS NOT NULL`] : [])];
  const keep = (alias: 'r' | 'c', top?: number) =>
    top ? `CASE WHEN ${alias} IS NULL THEN '(missing)' WHEN ${alias} IN (SELECT ${alias} FROM (SELECT ${alias}, count(*) AS n FROM base WHERE ${alias} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${top})) THEN ${alias} ELSE '(other)' END` : `coalesce(${alias}, '(missing)')`;
  const agg = { count: 'count(*)::DOUBLE', sum: 'sum(v)', mean: 'avg(v)' }[o.aggregate];
  return `WITH base AS (SELECT ${ident(rowColumn)}::VARCHAR AS r, ${ident(columnColumn)}::VARCHAR AS c, ${v} AS v FROM ${ident(table)}${where(conds)})
SELECT ${keep('r', o.topRows)} AS row_key, ${keep('c', o.topColumns)} AS column_key, ${agg} AS value, count(*)::BIGINT AS n FROM base GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** A rows × columns table of aggregates (NaN where a combination has no rows). */
export interface CrossTable {
  rows: string[];
  columns: string[];
  values: number[][];
  counts: number[][];
}

const LUMPED = new Set(['(other)', '(missing)']);
const byLabel = (a: string, b: string) => Number(LUMPED.has(a)) - Number(LUMPED.has(b)) || a.localeCompare(b, 'en', { numeric: true });

/** Runs {@link crossAggregateSql} and lays the cells out as a table, categories in natural order. */
export async function readCrossTable(db: DbConnector, table: string, rowColumn: string, columnColumn: string, o: CrossOptions): Promise<CrossTable> {
  const cells = objects(await db.query(crossAggregateSql(table, rowColumn, columnColumn, o)));
  const rows = [...new Set(cells.map((c) => String(c.row_key)))].sort(byLabel);
  const columns = [...new Set(cells.map((c) => String(c.column_key)))].sort(byLabel);
  const values = rows.map(() => columns.map(() => NaN));
  const counts = rows.map(() => columns.map(() => 0));
  for (const c of cells) {
    const i = rows.indexOf(String(c.row_key));
    const j = columns.indexOf(String(c.column_key));
    values[i][j] = num(c.value);
    counts[i][j] = num(c.n);
  }
  return { rows, columns, values, counts };
}

/** Approximate distinct counts of columns (HyperLogLog), to prefer low-cardinality categories. */
export async function readDistinctCounts(db: DbConnector, table: string, columns: readonly string[]): Promise<Map<string, number>> {
  if (columns.length === 0) return new Map();
  const o = objects(await db.query(`SELECT ${columns.map((c, i) => `approx_count_distinct(${ident(c)})::BIGINT AS d${i}`).join(', ')} FROM ${ident(table)}`))[0] ?? {};
  return new Map(columns.map((c, i) => [c, num(o[`d${i}`])]));
}

/** Most categories a crosstab's chi-square test takes per side (each one is a row or column). */
export const MAX_CROSSTAB_CATEGORIES = 60;

/**
 * Counts of two categorical columns over the rows that have both (as pandas.crosstab), with
 * Pearson's chi-square test of independence. Refuses a column with too many categories.
 */
export async function readCrosstab(db: DbConnector, table: string, rowColumn: string, columnColumn: string, filter: RangeFilter | null): Promise<CrossTable & { test: ChiSquareTest }> {
  const d = objects(await db.query(`SELECT count(DISTINCT ${ident(rowColumn)})::BIGINT AS r, count(DISTINCT ${ident(columnColumn)})::BIGINT AS c FROM ${ident(table)}${where(filterConditions(filter))}`))[0];
  for (const [name, n] of [[rowColumn, num(d.r)], [columnColumn, num(d.c)]] as const) {
    if (n > MAX_CROSSTAB_CATEGORIES) throw new AppError('invalid-argument', `Column "${name}" has ${n.toLocaleString('en-US')} distinct values; a crosstab takes at most ${MAX_CROSSTAB_CATEGORIES}: choose a categorical column.`, { column: name });
  }
  const t = await readCrossTable(db, table, rowColumn, columnColumn, { aggregate: 'count', dropMissing: true, filter });
  return { ...t, test: chiSquareIndependence(t.counts) };
}

/** Pearson (and, when asked, Spearman) correlation matrices of numeric columns. */
export interface CorrelationMatrix {
  columns: string[];
  pearson: number[][];
  /** Null unless asked for: ranking sorts every column, so it costs more than Pearson. */
  spearman: number[][] | null;
  /** Rows with a finite value in every chosen column (the rows both matrices use). */
  n: number;
}

/**
 * Correlation matrices in one query over the rows complete in every column: Pearson by corr();
 * with `spearman`, also Pearson on average ranks (ties get the mean of their ranks, as
 * pandas/scipy do), ranked by window functions in DuckDB.
 */
export function correlationSql(table: string, columns: readonly string[], filter: RangeFilter | null, spearman = true): string {
  const vals = columns.map((c, i) => `${ident(c)}::DOUBLE AS v${i}`).join(', ');
  const complete = columns.map((_, i) => `isfinite(v${i})`).join(' AND ');
  const ranks = columns.map((_, i) => `rank() OVER (ORDER BY v${i}) + (count(*) OVER (PARTITION BY v${i}) - 1) / 2.0 AS r${i}`).join(', ');
  const pairs: string[] = [];
  for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) pairs.push(`corr(v${i}, v${j}) AS p_${i}_${j}${spearman ? `, corr(r${i}, r${j}) AS s_${i}_${j}` : ''}`);
  return `WITH base AS (SELECT * FROM (SELECT ${vals} FROM ${ident(table)}${where(filterConditions(filter))}) WHERE ${complete})${spearman ? `,\nranked AS (SELECT *, ${ranks} FROM base)` : ''}
SELECT count(*)::BIGINT AS n${pairs.length ? `, ${pairs.join(', ')}` : ''} FROM ${spearman ? 'ranked' : 'base'}`;
}

/** Runs {@link correlationSql} and fills the symmetric matrices (1 on the diagonal). */
export async function readCorrelations(db: DbConnector, table: string, columns: readonly string[], filter: RangeFilter | null, options: { spearman?: boolean } = {}): Promise<CorrelationMatrix> {
  if (columns.length < 2) throw new AppError('invalid-argument', `Choose at least two numeric columns of ${table} for a correlation matrix.`);
  const spearman = options.spearman ?? true;
  const o = objects(await db.query(correlationSql(table, columns, filter, spearman)))[0] ?? {};
  const k = columns.length;
  const matrix = (prefix: string) => {
    const m = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : NaN)));
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) m[i][j] = m[j][i] = num(o[`${prefix}_${i}_${j}`]);
    return m;
  };
  return { columns: [...columns], pearson: matrix('p'), spearman: spearman ? matrix('s') : null, n: num(o.n) };
}

/** Period length of a time series. */
export type TimeGrain = 'day' | 'week' | 'month';
/** What a time series counts per period. */
export type TimeMetric = 'revenue' | 'orders' | 'customers';

/** Options of {@link timeSeriesSql}. */
export interface TimeSeriesOptions {
  date: string;
  grain: TimeGrain;
  metric: TimeMetric;
  /** Summed for revenue. */
  measure?: string;
  /** Counted distinct for customers. */
  customer?: string;
  /** Periods in the trailing moving average (1 = none). */
  window: number;
  filter: RangeFilter | null;
}

/** How far back "last year" is for each grain: same month, same week number, same date. */
export const YEAR_AGO: Record<TimeGrain, string> = { day: 'INTERVAL 1 YEAR', week: 'INTERVAL 52 WEEK', month: 'INTERVAL 12 MONTH' };

/**
 * Revenue (sum of the measure), orders (rows) or customers (distinct ids) per period, every period
 * between the first and the last present (0 where none), with a trailing moving average over
 * `window` periods and the value of the same period a year earlier (null before the data starts).
 */
export function timeSeriesSql(table: string, o: TimeSeriesOptions): string {
  const value = { revenue: o.measure ? `sum(${ident(o.measure)}::DOUBLE)` : '', orders: 'count(*)::DOUBLE', customers: o.customer ? `count(DISTINCT ${ident(o.customer)})::DOUBLE` : '' }[o.metric];
  if (!value) throw new AppError('invalid-argument', o.metric === 'revenue' ? 'Choose the amount column to sum for revenue.' : 'Choose the customer id column to count customers.');
  const d = `CAST(${ident(o.date)} AS TIMESTAMP)`;
  const w = Math.max(1, Math.floor(o.window));
  return `WITH base AS (SELECT date_trunc('${o.grain}', ${d}) AS period, ${value} AS value FROM ${ident(table)}${where([`${ident(o.date)} IS NOT NULL`, ...filterConditions(o.filter)])} GROUP BY 1),
span AS (SELECT range AS period FROM range((SELECT min(period) FROM base), (SELECT max(period) FROM base) + INTERVAL 1 ${o.grain.toUpperCase()}, INTERVAL 1 ${o.grain.toUpperCase()})),
filled AS (SELECT s.period, coalesce(b.value, 0) AS value FROM span s LEFT JOIN base b ON b.period = s.period)
SELECT strftime(f.period, '%Y-%m-%d') AS period, f.value, avg(f.value) OVER (ORDER BY f.period ROWS BETWEEN ${w - 1} PRECEDING AND CURRENT ROW) AS moving_avg, ly.value AS last_year
FROM filled f LEFT JOIN filled ly ON ly.period = f.period - ${YEAR_AGO[o.grain]} ORDER BY f.period`;
}

/** One period of a time series. */
export interface TimePoint {
  /** Start of the period, YYYY-MM-DD. */
  period: string;
  value: number;
  movingAvg: number;
  /** The same period a year earlier, or null. */
  lastYear: number | null;
}

/** Runs {@link timeSeriesSql}. */
export async function readTimeSeries(db: DbConnector, table: string, o: TimeSeriesOptions): Promise<TimePoint[]> {
  return objects(await db.query(timeSeriesSql(table, o))).map((r) => ({ period: String(r.period), value: num(r.value), movingAvg: num(r.moving_avg), lastYear: r.last_year === null || r.last_year === undefined ? null : num(r.last_year) }));
}
