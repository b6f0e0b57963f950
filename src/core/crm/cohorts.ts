import type { TransactionColumns } from './column-mapping';
import { dateLiteral, ident } from './sql-text';

/** Options of {@link cohortRetentionSql}. */
export interface CohortOptions {
  /** Only orders dated before this YYYY-MM-DD count (default: all). */
  before?: string;
}

/**
 * SQL for monthly cohort retention, computed in DuckDB: customers grouped by the calendar month
 * of their first order (`cohort`, a DATE on the 1st), and for each later month `months_since`
 * (0 = the first month) the number of those customers with at least one order in it
 * (`customers`), the cohort's size (`cohort_size`) and `retention` = customers / cohort_size
 * (0–1; month 0 is always 1). Months in which nobody of a cohort bought have no row. Rows with a
 * null customer or date are ignored. Ordered by cohort, then months_since.
 */
export function cohortRetentionSql(cols: TransactionColumns, options: CohortOptions = {}): string {
  const c = ident(cols.customer);
  const d = ident(cols.date);
  const before = options.before ? ` AND CAST(${d} AS DATE) < ${dateLiteral(options.before, 'The cohort end date')}` : '';
  return `WITH cohort_activity AS (
  SELECT DISTINCT ${c} AS customer_id, CAST(date_trunc('month', CAST(${d} AS DATE)) AS DATE) AS month
  FROM ${ident(cols.table)}
  WHERE ${c} IS NOT NULL AND ${d} IS NOT NULL${before}
), cohort_first AS (
  SELECT customer_id, min(month) AS cohort FROM cohort_activity GROUP BY customer_id
), cohort_size AS (
  SELECT cohort, count(*) AS cohort_size FROM cohort_first GROUP BY cohort
)
SELECT f.cohort, CAST(date_diff('month', f.cohort, a.month) AS INTEGER) AS months_since,
       count(*) AS customers, s.cohort_size, count(*) / s.cohort_size AS retention
FROM cohort_activity AS a JOIN cohort_first AS f USING (customer_id) JOIN cohort_size AS s USING (cohort)
GROUP BY f.cohort, months_since, s.cohort_size
ORDER BY f.cohort, months_since`;
}

/** One row of {@link cohortRetentionSql}'s result, with the cohort as YYYY-MM. */
export interface CohortCell {
  cohort: string;
  monthsSince: number;
  customers: number;
  cohortSize: number;
}

/**
 * A dense cohort × months-since matrix from the SQL's rows: `cohorts` (YYYY-MM, ascending),
 * `sizes`, and `retention[i][k]` (0–1) for cohort i at k months since its first, 0 where no
 * customer bought and null for months after `lastMonth` (YYYY-MM, default the latest cohort),
 * which have not been observed yet.
 */
export function cohortMatrix(cells: readonly CohortCell[], lastMonth?: string): { cohorts: string[]; sizes: number[]; retention: (number | null)[][] } {
  const cohorts = [...new Set(cells.map((c) => c.cohort))].sort();
  const toIndex = (ym: string) => {
    const [y, m] = ym.split('-').map(Number);
    return y * 12 + (m - 1);
  };
  const end = toIndex(lastMonth ?? cohorts[cohorts.length - 1] ?? '1970-01');
  const width = cohorts.length ? end - toIndex(cohorts[0]) + 1 : 0;
  const sizes = cohorts.map(() => 0);
  const retention = cohorts.map((ym) => Array.from({ length: width }, (_, k) => (toIndex(ym) + k <= end ? 0 : null)) as (number | null)[]);
  const row = new Map(cohorts.map((c, i) => [c, i]));
  for (const cell of cells) {
    const i = row.get(cell.cohort)!;
    sizes[i] = cell.cohortSize;
    if (cell.monthsSince < width && retention[i][cell.monthsSince] !== null) retention[i][cell.monthsSince] = cell.customers / cell.cohortSize;
  }
  return { cohorts, sizes, retention };
}
