import { AppError } from '../errors';
import { bgnbdExpectedTransactions, type BgNbdParams } from './bgnbd';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma';

/** Weeks in an average month (365.25 / 12 / 7): converts monthly discounting to weekly models. */
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

/** One customer's calibration summary for CLV: BG/NBD (x, t_x, T) and repeat-purchase mean spend m. */
export interface ClvCustomer {
  x: number;
  tx: number;
  T: number;
  /** Mean value of the repeat transactions; when x = 0 or m ≤ 0 the population mean spend is used. */
  m: number;
}

/** Settings of {@link customerLifetimeValue}. */
export interface ClvOptions {
  /** Horizon in the model's time unit (weeks for Clientele summaries). */
  horizon: number;
  /** Discount rate per month (0.01 = 1% a month); 0 or omitted for no discounting. */
  monthlyDiscount?: number;
  /** Model time units in a month (default {@link WEEKS_PER_MONTH}). */
  unitsPerMonth?: number;
}

/**
 * Customer lifetime value over a horizon, in currency units: expected transactions from BG/NBD
 * (Fader, Hardie & Lee 2005, eq. 10) times the Gamma-Gamma expected spend per transaction (Fader &
 * Hardie 2013), as in the `lifetimes` package's customer_lifetime_value. Without discount
 * it is E[Y(horizon)]·E[M]. With a monthly discount d, the horizon is cut into months and each
 * month's expected transactions E[Y(k)] − E[Y(k−1)] are discounted by (1+d)^k (the last month
 * may be partial).
 */
export function customerLifetimeValue(bg: BgNbdParams, gg: GammaGammaParams, c: ClvCustomer, options: ClvOptions): number {
  const { horizon, monthlyDiscount = 0, unitsPerMonth = WEEKS_PER_MONTH } = options;
  if (!(horizon >= 0)) throw new AppError('invalid-argument', `the CLV horizon must be ≥ 0, not ${horizon}.`);
  if (!(monthlyDiscount >= 0)) throw new AppError('invalid-argument', `the monthly discount must be ≥ 0, not ${monthlyDiscount}.`);
  const spend = c.m > 0 ? gammaGammaExpectedSpend(gg, c.x, c.m) : gammaGammaExpectedSpend(gg, 0, 0);
  const expected = (t: number) => bgnbdExpectedTransactions(bg, t, c.x, c.tx, c.T);
  if (monthlyDiscount === 0) return expected(horizon) * spend;
  let value = 0;
  let previous = 0;
  for (let k = 1; (k - 1) * unitsPerMonth < horizon; k++) {
    const now = expected(Math.min(horizon, k * unitsPerMonth));
    value += ((now - previous) * spend) / Math.pow(1 + monthlyDiscount, k);
    previous = now;
  }
  return value;
}

/** {@link customerLifetimeValue} for parallel arrays of customers; returns values in the same order. */
export function lifetimeValues(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  data: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number>; m: ArrayLike<number> },
  options: ClvOptions,
): Float64Array {
  const out = new Float64Array(data.x.length);
  for (let i = 0; i < out.length; i++) out[i] = customerLifetimeValue(bg, gg, { x: data.x[i], tx: data.tx[i], T: data.T[i], m: data.m[i] }, options);
  return out;
}
