import { AppError } from '../errors';
import type { TransactionColumns } from './column-mapping';
import { dateLiteral, daysBetween, ident } from './sql-text';

/** Options of {@link customerSummarySql}. */
export interface SummaryOptions {
  /** End of the calibration period, YYYY-MM-DD (exclusive). */
  calibrationEnd: string;
  /** End of the holdout period, YYYY-MM-DD (exclusive); adds `x_holdout`. */
  holdoutEnd?: string;
  /** Days per model time unit (default 7: weeks, as in FHL 2005 and the demo generator). */
  unitDays?: number;
}

/**
 * SQL for the per-customer summary that BG/NBD and Gamma-Gamma are fitted on (Fader, Hardie & Lee
 * 2005 §2; the `lifetimes` package's summary_data_from_transaction_data), computed in DuckDB.
 * Orders are first collapsed to one transaction per customer and calendar day (amounts summed),
 * because the model counts purchase occasions. For each customer whose first transaction is
 * before `calibrationEnd`:
 * `x` repeat transactions in the calibration period (days with orders − 1), `t_x` time from the
 * first to the last of them and `T` time from the first to `calibrationEnd` (in units of
 * `unitDays` days), `mean_spend` = the mean value of the repeat transactions (NULL when x = 0),
 * `spend_n` the number of repeat transactions with an amount, `first_order` (DATE), and with
 * `holdoutEnd`, `x_holdout` = transaction days in [calibrationEnd, holdoutEnd). Rows with a null
 * customer or date are ignored.
 */
export function customerSummarySql(cols: TransactionColumns, options: SummaryOptions): string {
  const unit = options.unitDays ?? 7;
  if (!(unit > 0)) throw new AppError('invalid-argument', `unitDays must be positive, not ${unit}.`);
  const calEnd = dateLiteral(options.calibrationEnd, 'The calibration end date');
  const hold = options.holdoutEnd ? dateLiteral(options.holdoutEnd, 'The holdout end date') : null;
  if (options.holdoutEnd && daysBetween(options.calibrationEnd, options.holdoutEnd) <= 0) {
    throw new AppError('invalid-argument', `The holdout end (${options.holdoutEnd}) must come after the calibration end (${options.calibrationEnd}).`);
  }
  const c = ident(cols.customer);
  const d = `CAST(${ident(cols.date)} AS DATE)`;
  const holdoutCte = hold
    ? `, summary_holdout AS (
  SELECT ${c} AS customer_id, count(DISTINCT ${d}) AS x_holdout
  FROM ${ident(cols.table)}
  WHERE ${c} IS NOT NULL AND ${ident(cols.date)} IS NOT NULL AND ${d} >= ${calEnd} AND ${d} < ${hold}
  GROUP BY ${c}
)`
    : '';
  return `WITH summary_days AS (
  SELECT ${c} AS customer_id, ${d} AS day, sum(CAST(${ident(cols.amount)} AS DOUBLE)) AS spend,
         row_number() OVER (PARTITION BY ${c} ORDER BY ${d}) AS k
  FROM ${ident(cols.table)}
  WHERE ${c} IS NOT NULL AND ${ident(cols.date)} IS NOT NULL AND ${d} < ${calEnd}
  GROUP BY ${c}, ${d}
), summary_calibration AS (
  SELECT customer_id, min(day) AS first_order,
         CAST(count(*) - 1 AS INTEGER) AS x,
         date_diff('day', min(day), max(day)) / ${unit} AS t_x,
         date_diff('day', min(day), ${calEnd}) / ${unit} AS "T",
         avg(spend) FILTER (WHERE k > 1) AS mean_spend,
         CAST(count(spend) FILTER (WHERE k > 1) AS INTEGER) AS spend_n
  FROM summary_days GROUP BY customer_id
)${holdoutCte}
SELECT s.customer_id, s.x, s.t_x, s."T", s.mean_spend, s.spend_n, s.first_order${hold ? ', CAST(coalesce(h.x_holdout, 0) AS INTEGER) AS x_holdout' : ''}
FROM summary_calibration AS s${hold ? ' LEFT JOIN summary_holdout AS h USING (customer_id)' : ''}
ORDER BY s.customer_id`;
}

/** Length of the holdout period in model time units (days between the two dates / unitDays). */
export function holdoutLength(options: SummaryOptions): number {
  if (!options.holdoutEnd) throw new AppError('invalid-argument', 'No holdout end date was given.');
  return daysBetween(options.calibrationEnd, options.holdoutEnd) / (options.unitDays ?? 7);
}
