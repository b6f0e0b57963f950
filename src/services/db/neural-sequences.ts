import { AppError } from '../../core/errors';
import type { TransactionColumns } from '../../core/crm/column-mapping';
import type { DbConnector } from './connector';
import { ident } from './sql';

/** Calendar unit of one step of a customer's activity sequence. */
export type ActivityPeriod = 'week' | 'month';

/** What the sequence model predicts for each customer. */
export type SequenceTarget = 'churn' | 'next-purchase';

/** How activity sequences are cut from a transactions table. */
export interface SequenceOptions {
  period: ActivityPeriod;
  /** Periods of history per customer (the model's input length), ≥ 1. */
  history: number;
  /** Periods held out at the end of the data: the target looks only at them, ≥ 1. */
  horizon: number;
  /**
   * 'churn': 1 when the customer buys nothing in the held-out periods; 'next-purchase': 1 when
   * they buy at least once there.
   */
  target: SequenceTarget;
}

/** Per-customer activity by period, ready for a sequence model (src/neural/models.ts `SequenceSpec`). */
export interface ActivitySequences {
  /** Customer ids as DuckDB returned them, ascending. */
  customerId: unknown[];
  /** Orders and spend per period, n × history × 2 row-major (oldest period first), raw units. */
  x: Float32Array;
  /** 0/1 target per customer (see {@link SequenceOptions.target}). */
  y: Float32Array;
  n: number;
  /** Names of the two values per period. */
  features: ['orders', 'spend'];
  /** First day of the first history period and of the first held-out period (YYYY-MM-DD). */
  historyStart: string;
  horizonStart: string;
}

/** A SQL expression: whole periods from `a` to `b` (both already truncated to the period). */
function periodsBetween(period: ActivityPeriod, a: string, b: string): string {
  return period === 'month'
    ? `((year(${b}) - year(${a})) * 12 + month(${b}) - month(${a}))`
    : `CAST((CAST(${b} AS DATE) - CAST(${a} AS DATE)) / 7 AS INTEGER)`;
}

/**
 * The SQL of the activity by period: orders (distinct order ids, or rows) and spend per customer
 * and period, with `back` = periods before the last period of the data (0 = the last one, which
 * may be partial). Rows without a customer or a readable date are left out.
 */
export function periodActivitySql(cols: TransactionColumns, period: ActivityPeriod): string {
  const date = `TRY_CAST(${ident(cols.date)} AS TIMESTAMP)`;
  const orders = cols.orderId ? `COUNT(DISTINCT ${ident(cols.orderId)})` : 'COUNT(*)';
  return `WITH tx AS (
  SELECT ${ident(cols.customer)} AS customer_id, date_trunc('${period}', ${date}) AS p,
         ${orders} AS orders, COALESCE(SUM(TRY_CAST(${ident(cols.amount)} AS DOUBLE)), 0) AS spend
  FROM ${ident(cols.table)}
  WHERE ${ident(cols.customer)} IS NOT NULL AND ${date} IS NOT NULL
  GROUP BY ALL
), bounds AS (SELECT max(p) AS last FROM tx)
SELECT customer_id, ${periodsBetween(period, 'p', 'last')} AS back, orders, spend, last
FROM tx, bounds`;
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(Number(v))).toISOString().slice(0, 10);

/**
 * Builds each customer's activity sequence in DuckDB: the last `horizon` periods of the data are
 * held out for the target, the `history` periods before them are the input. Customers with at
 * least one order in the history window are kept (those already gone before it have nothing to
 * predict from). Throws a message naming the table and columns when there is no usable row or
 * not enough periods.
 */
export async function readActivitySequences(db: DbConnector, cols: TransactionColumns, options: SequenceOptions): Promise<ActivitySequences> {
  const { period, history, horizon, target } = options;
  if (!(Number.isInteger(history) && history >= 1)) throw new AppError('invalid-argument', `the history must be a whole number of ${period}s, at least 1; got ${history}.`);
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new AppError('invalid-argument', `the held-out horizon must be a whole number of ${period}s, at least 1; got ${horizon}.`);
  const activity = periodActivitySql(cols, period);
  const span = await db.query(`WITH a AS (${activity}) SELECT count(*)::INTEGER AS n, max(back)::INTEGER AS oldest, any_value(last) AS last FROM a`);
  const n = Number(span.getChild('n')!.get(0));
  if (n === 0) throw new AppError('bad-input', `${cols.table} has no row with both a customer (${cols.customer}) and a readable date (${cols.date}); check the column choice.`);
  const oldest = Number(span.getChild('oldest')!.get(0));
  if (oldest + 1 < history + horizon) {
    throw new AppError('bad-input', `${cols.table} spans ${oldest + 1} ${period}s of ${cols.date}; ${history} of history and ${horizon} held out need ${history + horizon}. Use fewer periods or a shorter period.`);
  }
  const w = await readWindow(db, activity, history, horizon);
  const y = Float32Array.from(w.future, (f) => ((target === 'churn' ? f === 0 : f > 0) ? 1 : 0));
  const { customerId, x } = w;
  const count = customerId.length;
  const bounds = await db.query(`SELECT (last - INTERVAL ${horizon + history - 1} ${period})::DATE AS h, (last - INTERVAL ${horizon - 1} ${period})::DATE AS z FROM (SELECT any_value(last) AS last FROM (${activity}))`);
  return { customerId, x, y, n: count, features: ['orders', 'spend'], historyStart: iso(bounds.getChild('h')!.get(0)), horizonStart: iso(bounds.getChild('z')!.get(0)) };
}

/** Customers active in the window `offset … offset + history − 1` periods back, their activity and their orders after it. */
async function readWindow(db: DbConnector, activity: string, history: number, offset: number): Promise<{ customerId: unknown[]; x: Float32Array; future: Float64Array }> {
  const cut = `a.back BETWEEN ${offset} AND ${offset + history - 1}`;
  const labels = await db.query(`WITH a AS (${activity}),
kept AS (SELECT DISTINCT customer_id FROM a WHERE ${cut})
SELECT k.customer_id, COALESCE((SELECT sum(a.orders) FROM a WHERE a.customer_id = k.customer_id AND a.back < ${offset}), 0)::DOUBLE AS future_orders
FROM kept k ORDER BY k.customer_id`);
  const count = labels.numRows;
  const ids = labels.getChild('customer_id')!;
  const orders = labels.getChild('future_orders')!;
  const customerId: unknown[] = [];
  const future = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    customerId.push(ids.get(i));
    future[i] = Number(orders.get(i));
  }
  const steps = await db.query(`WITH a AS (${activity}),
kept AS (SELECT customer_id, (row_number() OVER (ORDER BY customer_id) - 1)::INTEGER AS i FROM (SELECT DISTINCT customer_id FROM a WHERE ${cut}))
SELECT kept.i, (${offset + history - 1} - a.back)::INTEGER AS t, a.orders::DOUBLE AS orders, a.spend::DOUBLE AS spend
FROM a JOIN kept USING (customer_id) WHERE ${cut}`);
  const x = new Float32Array(count * history * 2);
  const ci = steps.getChild('i')!;
  const ct = steps.getChild('t')!;
  const co = steps.getChild('orders')!;
  const cs = steps.getChild('spend')!;
  for (let r = 0; r < steps.numRows; r++) {
    const at = (Number(ci.get(r)) * history + Number(ct.get(r))) * 2;
    x[at] = Number(co.get(r));
    x[at + 1] = Number(cs.get(r));
  }
  return { customerId, x, future };
}

/**
 * The latest activity to score: each customer's last `history` periods, up to the last period
 * of the data (which may be partial), for customers with an order in them — what a model trained
 * by {@link readActivitySequences} predicts the next periods from.
 */
export async function readLatestActivity(db: DbConnector, cols: TransactionColumns, period: ActivityPeriod, history: number): Promise<{ customerId: unknown[]; x: Float32Array; n: number }> {
  const w = await readWindow(db, periodActivitySql(cols, period), history, 0);
  return { customerId: w.customerId, x: w.x, n: w.customerId.length };
}

/**
 * Scales activity for a network: log1p of orders and spend, then each of the two divided by its
 * largest value over the rows given (the training rows), so inputs lie in [0, 1] there. Returns
 * the scaled copy and the divisors (to scale new rows the same way).
 */
export function scaleActivity(x: Float32Array, rows: ArrayLike<number>, history: number, divisors?: [number, number]): { x: Float32Array; divisors: [number, number] } {
  const out = Float32Array.from(x, (v) => Math.log1p(Math.max(0, v)));
  let d = divisors;
  if (!d) {
    const max: [number, number] = [0, 0];
    for (let r = 0; r < rows.length; r++) {
      const base = rows[r] * history * 2;
      for (let t = 0; t < history; t++) for (let f = 0; f < 2; f++) max[f] = Math.max(max[f], out[base + t * 2 + f]);
    }
    d = [max[0] || 1, max[1] || 1];
  }
  for (let i = 0; i < out.length; i++) out[i] /= d[i % 2];
  return { x: out, divisors: d };
}

/** Texts and their labels for the text classifier. */
export interface LabelledTexts {
  texts: string[];
  /** Class code per text, into `classes`. */
  codes: Int32Array;
  /** Distinct labels, sorted (numbers numerically). */
  classes: string[];
}

/** Most classes a text classifier is offered (more is rarely a label: an id or free text). */
export const MAX_TEXT_CLASSES = 20;

/**
 * Reads a free-text column and a label column (rows where either is missing or the text is blank
 * are left out); the label's distinct values become the classes. Refuses a label with one class
 * or more than {@link MAX_TEXT_CLASSES}, naming the column.
 */
export async function readLabelledTexts(db: DbConnector, table: string, textColumn: string, labelColumn: string): Promise<LabelledTexts> {
  const t = await db.query(`SELECT CAST(${ident(textColumn)} AS VARCHAR) AS text, CAST(${ident(labelColumn)} AS VARCHAR) AS label,
  dense_rank() OVER (ORDER BY TRY_CAST(${ident(labelColumn)} AS DOUBLE) NULLS LAST, CAST(${ident(labelColumn)} AS VARCHAR))::INTEGER - 1 AS code
FROM ${ident(table)} WHERE ${ident(labelColumn)} IS NOT NULL AND trim(CAST(${ident(textColumn)} AS VARCHAR)) <> '' ORDER BY rowid`);
  const texts: string[] = [];
  const codes = new Int32Array(t.numRows);
  const classes: string[] = [];
  const text = t.getChild('text')!;
  const label = t.getChild('label')!;
  const code = t.getChild('code')!;
  for (let i = 0; i < t.numRows; i++) {
    texts.push(String(text.get(i)));
    const k = Number(code.get(i));
    codes[i] = k;
    classes[k] = String(label.get(i));
  }
  if (texts.length === 0) throw new AppError('bad-input', `${table} has no row with text in ${textColumn} and a value in ${labelColumn}.`);
  if (classes.length < 2) throw new AppError('bad-input', `${labelColumn} has a single value (${classes[0]}); a classifier needs at least two labels.`);
  if (classes.length > MAX_TEXT_CLASSES) throw new AppError('bad-input', `${labelColumn} has ${classes.length} distinct values; choose a label column with at most ${MAX_TEXT_CLASSES} (e.g. a rating or a category), or bin it in the Clean room.`);
  return { texts, codes, classes };
}
