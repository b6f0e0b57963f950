import type { TransactionColumns } from './column-mapping';
import { dateLiteral, ident, literal } from './sql-text';

/** The named RFM segments, in display order (best customers first). */
export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential loyalist',
  'New',
  'Promising',
  'Need attention',
  'About to sleep',
  'At risk',
  "Can't lose them",
  'Hibernating',
  'Lost',
] as const;

/** One of {@link RFM_SEGMENTS}. */
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * The segment grid: `RFM_GRID[R − 1][FM − 1]`, R = recency score, FM = the rounded mean of the
 * frequency and monetary scores, each 1–5 (5 best). It is the widely used R × F segment map
 * (the ten-segment `seg_map` of Putler's "RFM Analysis for Successful Customer Segmentation",
 * reproduced in many open notebooks: 5[4-5] Champions, [3-4][4-5] Loyal, [4-5][2-3] Potential
 * loyalist, 51 New, 41 Promising, 33 Need attention, 3[1-2] About to sleep, [1-2][3-4] At risk,
 * [1-2]5 Can't lose them, [1-2][1-2] Hibernating) read with FM in place of F, plus Putler's
 * eleventh segment, Lost ("lowest recency, frequency and monetary scores"), taken as the R=1,
 * FM=1 cell out of Hibernating.
 *
 * ```
 *        FM=1            FM=2                FM=3                FM=4             FM=5
 * R=5    New             Potential loyalist  Potential loyalist  Champions        Champions
 * R=4    Promising       Potential loyalist  Potential loyalist  Loyal            Loyal
 * R=3    About to sleep  About to sleep      Need attention      Loyal            Loyal
 * R=2    Hibernating     Hibernating         At risk             At risk          Can't lose them
 * R=1    Lost            Hibernating         At risk             At risk          Can't lose them
 * ```
 */
export const RFM_GRID: readonly (readonly RfmSegment[])[] = [
  ['Lost', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  ['Hibernating', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  ['About to sleep', 'About to sleep', 'Need attention', 'Loyal', 'Loyal'],
  ['Promising', 'Potential loyalist', 'Potential loyalist', 'Loyal', 'Loyal'],
  ['New', 'Potential loyalist', 'Potential loyalist', 'Champions', 'Champions'],
];

/** The segment of a customer with recency score r and frequency/monetary scores f, m (1–5 each). */
export function rfmSegmentOf(r: number, f: number, m: number): RfmSegment {
  return RFM_GRID[r - 1][fmScore(f, m) - 1];
}

/** FM score: the mean of F and M rounded half up, floor((F + M + 1) / 2). */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m + 1) / 2);
}

/** Options of {@link rfmSql}. */
export interface RfmOptions {
  /**
   * Analysis date YYYY-MM-DD (exclusive): only orders dated before it count, and recency is
   * measured to it. Default: the day after the last order in the table.
   */
  asOf?: string;
}

/**
 * SQL for one row per customer with RFM figures and scores, computed in DuckDB:
 * `customer_id`, `last_order` (DATE), `recency_days` (days from the last order's date to the
 * as-of date, ≥ 1), `frequency` (distinct order ids when `orderId` is mapped, else rows),
 * `monetary` (sum of amount, currency units), `r_score`, `f_score`, `m_score` (1–5),
 * `fm_score`, `rfm_cell` (e.g. '545') and `segment` ({@link RFM_GRID}).
 *
 * Scores are quintiles by `NTILE(5)`: customers are sorted by the value (recency descending,
 * so the most recent get 5; frequency and monetary ascending) and cut by position into five
 * groups whose sizes differ by at most one (the first groups take the extra rows). Ties are
 * broken by customer id, so equal values on a quintile boundary can get different scores, and
 * the result is deterministic (in the spirit of pandas `qcut(x.rank(method="first"), 5)`, which
 * also ranks ties by position). Rows with a
 * null customer or date are ignored; a null amount counts as an order worth 0.
 */
export function rfmSql(cols: TransactionColumns, options: RfmOptions = {}): string {
  const c = ident(cols.customer);
  const d = `CAST(${ident(cols.date)} AS DATE)`;
  const asOf = options.asOf ? dateLiteral(options.asOf, 'The RFM as-of date') : `(SELECT max(${d}) + 1 FROM ${ident(cols.table)})`;
  const frequency = cols.orderId ? `count(DISTINCT ${ident(cols.orderId)})` : 'count(*)';
  const grid = `[${RFM_GRID.flat().map(literal).join(', ')}]`;
  return `WITH rfm_base AS (
  SELECT ${c} AS customer_id, max(${d}) AS last_order, ${frequency} AS frequency,
         coalesce(sum(CAST(${ident(cols.amount)} AS DOUBLE)), 0) AS monetary
  FROM ${ident(cols.table)}
  WHERE ${c} IS NOT NULL AND ${ident(cols.date)} IS NOT NULL AND ${d} < ${asOf}
  GROUP BY ${c}
), rfm_scored AS (
  SELECT *, date_diff('day', last_order, ${asOf}) AS recency_days,
         NTILE(5) OVER (ORDER BY last_order ASC, customer_id) AS r_score,
         NTILE(5) OVER (ORDER BY frequency ASC, customer_id) AS f_score,
         NTILE(5) OVER (ORDER BY monetary ASC, customer_id) AS m_score
  FROM rfm_base
)
SELECT customer_id, last_order, recency_days, frequency, monetary, r_score, f_score, m_score,
       (f_score + m_score + 1) // 2 AS fm_score,
       concat(r_score, f_score, m_score) AS rfm_cell,
       ${grid}[(r_score - 1) * 5 + (f_score + m_score + 1) // 2] AS segment
FROM rfm_scored`;
}

/**
 * SQL for segment sizes from an RFM relation (a table name, or `(rfmSql(...))` in parentheses):
 * one row per non-empty segment in {@link RFM_SEGMENTS} order with `customers`,
 * `customer_share` and `revenue_share` (fractions 0–1), `revenue` (sum of monetary) and the
 * segment's mean `recency_days`, `frequency` and `monetary`.
 */
export function rfmSegmentSizesSql(rfm: string): string {
  const order = `[${RFM_SEGMENTS.map(literal).join(', ')}]`;
  return `SELECT segment, count(*) AS customers,
       count(*) / sum(count(*)) OVER () AS customer_share,
       sum(monetary) AS revenue,
       coalesce(sum(monetary) / nullif(sum(sum(monetary)) OVER (), 0), 0) AS revenue_share,
       avg(recency_days) AS recency_days, avg(frequency) AS frequency, avg(monetary) AS monetary
FROM ${rfm} AS rfm
GROUP BY segment
ORDER BY list_position(${order}, segment)`;
}

/** SQL that stores the RFM table as `target` (replacing it), so later steps can join on it. */
export function createRfmTableSql(cols: TransactionColumns, target: string, options: RfmOptions = {}): string {
  return `CREATE OR REPLACE TABLE ${ident(target)} AS ${rfmSql(cols, options)}`;
}

/**
 * SQL that writes the segment back as a column: `target` becomes every column of `customers`
 * plus `rfm_segment` (and the R/F/M scores), joined on `customerKey` = the RFM table's
 * `customer_id`. Customers without orders before the as-of date get NULL.
 */
export function segmentColumnSql(customers: string, customerKey: string, rfmTable: string, target: string): string {
  return `CREATE OR REPLACE TABLE ${ident(target)} AS
SELECT c.*, r.segment AS rfm_segment, r.r_score AS rfm_r, r.f_score AS rfm_f, r.m_score AS rfm_m
FROM ${ident(customers)} AS c LEFT JOIN ${ident(rfmTable)} AS r ON c.${ident(customerKey)} = r.customer_id`;
}
