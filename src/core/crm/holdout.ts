import { bgnbdExpectedTransactions, type BgNbdParams } from './bgnbd';

/** One row of the calibration-vs-holdout comparison. */
export interface HoldoutRow {
  /** Repeat transactions in the calibration period; the last row collects `maxX` and more. */
  x: number;
  /** "0", "1", …, "7+". */
  label: string;
  customers: number;
  /** Mean number of transactions in the holdout period, observed. */
  actual: number;
  /** Mean of E[Y(t) | x, t_x, T] over the same customers (BG/NBD). */
  expected: number;
}

/**
 * The calibration-vs-holdout check of Fader, Hardie & Lee (2005; their conditional-expectations
 * figure): customers grouped by their number of calibration repeat transactions
 * (0, 1, …, `maxX`+), and for each group the mean number of holdout transactions observed and the
 * mean the fitted model expects over the holdout length `t` (model time units). Also returns
 * the totals over all customers.
 */
export function calibrationHoldout(
  params: BgNbdParams,
  data: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number>; xHoldout: ArrayLike<number> },
  t: number,
  maxX = 7,
): { rows: HoldoutRow[]; totalActual: number; totalExpected: number } {
  const rows: HoldoutRow[] = Array.from({ length: maxX + 1 }, (_, x) => ({ x, label: x === maxX ? `${x}+` : String(x), customers: 0, actual: 0, expected: 0 }));
  let totalActual = 0;
  let totalExpected = 0;
  for (let i = 0; i < data.x.length; i++) {
    const row = rows[Math.min(maxX, data.x[i])];
    const e = bgnbdExpectedTransactions(params, t, data.x[i], data.tx[i], data.T[i]);
    row.customers++;
    row.actual += data.xHoldout[i];
    row.expected += e;
    totalActual += data.xHoldout[i];
    totalExpected += e;
  }
  for (const row of rows) {
    if (row.customers > 0) {
      row.actual /= row.customers;
      row.expected /= row.customers;
    }
  }
  return { rows: rows.filter((r) => r.customers > 0), totalActual, totalExpected };
}
