import { AppError } from '../errors';
import type { ProgressCallback } from '../progress';
import { nelderMead } from './nelder-mead';
import { groupCounts, hyp2f1, logAddExp, logGamma } from './special';

/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing:
 * Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
 * Pareto/NBD model", Marketing Science 24(2), 275–284. While alive a customer buys as a Poisson
 * process with rate λ ~ Gamma(r, α); after each repeat purchase they drop out with probability
 * p ~ Beta(a, b). Time is in whatever unit the summary uses (Clientele: weeks).
 */
export interface BgNbdParams {
  r: number;
  /** Rate of the λ distribution, in time units (E[λ] = r/α per unit). */
  alpha: number;
  a: number;
  b: number;
}

/**
 * Per-customer calibration summary (FHL 2005 §2): `x` repeat transactions (transactions after the
 * first), `tx` time of the last one and `T` time from the first transaction to the end of the
 * calibration period, both measured from the first transaction. Parallel arrays.
 */
export interface BgNbdData {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
}

/** Throws an AppError naming the first customer whose (x, t_x, T) is impossible. */
export function checkBgNbdData(data: BgNbdData): void {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n) throw new AppError('invalid-argument', `x, t_x and T must have the same length (${n}, ${data.tx.length}, ${data.T.length}).`);
  if (n === 0) throw new AppError('bad-input', 'There are no customers to fit: check the calibration end date and the column mapping.');
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    const tx = data.tx[i];
    const T = data.T[i];
    if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && T > 0 && tx <= T && (x > 0 || tx === 0))) {
      throw new AppError('bad-input', `Customer row ${i + 1} has an impossible summary (x=${x}, t_x=${tx}, T=${T}): x must be a whole number ≥ 0, 0 ≤ t_x ≤ T, T > 0, and t_x = 0 when x = 0.`);
    }
  }
}

function validParams(p: BgNbdParams): boolean {
  return p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0 && Number.isFinite(p.r + p.alpha + p.a + p.b);
}

/**
 * Log-likelihood of one customer, FHL 2005 eq. (6):
 * L = B(a, b+x)/B(a, b) · Γ(r+x) αʳ / (Γ(r)(α+T)^(r+x)) + δ(x>0) B(a+1, b+x−1)/B(a, b) · Γ(r+x) αʳ / (Γ(r)(α+t_x)^(r+x)).
 */
export function bgnbdCustomerLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return common + logAddExp(a3, a4);
}

/** A log-likelihood over many customers, with the log-gamma terms computed once per distinct x. */
function makeLogLikelihood(data: BgNbdData): (p: BgNbdParams) => number {
  const { values, index } = groupCounts(data.x);
  const n = data.x.length;
  const common = new Float64Array(values.length);
  const drop = new Float64Array(values.length);
  return ({ r, alpha, a, b }) => {
    const base = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
    for (let k = 0; k < values.length; k++) {
      const x = values[k];
      common[k] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
      drop[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
    }
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const k = index[i];
      const rx = r + values[k];
      const a3 = -rx * Math.log(alpha + data.T[i]);
      const a4 = drop[k] - rx * Math.log(alpha + data.tx[i]);
      ll += common[k] + (a4 === -Infinity ? a3 : logAddExp(a3, a4));
    }
    return ll;
  };
}

/** Total log-likelihood of the data under `params` (sum of eq. 6 over customers). */
export function bgnbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  if (!validParams(params)) return NaN;
  return makeLogLikelihood(data)(params);
}

/** Outcome of {@link fitBgNbd}. */
export interface BgNbdFit {
  params: BgNbdParams;
  /** Log-likelihood at the fitted parameters. */
  logLikelihood: number;
  customers: number;
  iterations: number;
  converged: boolean;
}

/** Settings of {@link fitBgNbd}. */
export interface BgNbdFitOptions {
  /** Starting point (default r = 1, a = 1, b = 2, α from the mean purchase rate). */
  initial?: BgNbdParams;
  maxIterations?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * Maximum-likelihood fit of BG/NBD (FHL 2005 §3) by Nelder–Mead on the logarithms of
 * (r, α, a, b), so every trial point is valid. Cancellable through `signal` (AbortError).
 */
export function fitBgNbd(data: BgNbdData, options: BgNbdFitOptions = {}): BgNbdFit {
  checkBgNbdData(data);
  const n = data.x.length;
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    sumX += data.x[i];
    sumT += data.T[i];
  }
  const start = options.initial ?? { r: 1, alpha: Math.max(1e-3, sumT / Math.max(sumX, 0.1 * n)), a: 1, b: 2 };
  const ll = makeLogLikelihood(data);
  const toParams = (v: Float64Array): BgNbdParams => ({ r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) });
  // Per-customer mean keeps the simplex's tolerances independent of the number of customers.
  const result = nelderMead((v) => -ll(toParams(v)) / n, [Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)], {
    maxIterations: options.maxIterations ?? 4000,
    signal: options.signal,
    onProgress: options.onProgress,
    restarts: 2,
  });
  const params = toParams(result.x);
  options.onProgress?.({ stage: 'fitted', fraction: 1 });
  return { params, logLikelihood: ll(params), customers: n, iterations: result.iterations, converged: result.converged };
}

/**
 * Expected number of transactions of a new customer in (0, t], FHL 2005 eq. (7):
 * E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))].
 */
export function bgnbdExpectedTransactionsNew(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  if (Math.abs(a - 1) < 1e-4) return (bgnbdExpectedTransactionsNew({ ...params, a: 1 - 2e-4 }, t) + bgnbdExpectedTransactionsNew({ ...params, a: 1 + 2e-4 }, t)) / 2;
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
}

/**
 * Expected number of transactions in the next `t` time units of a customer with history
 * (x, t_x, T), FHL 2005 eq. (10):
 * E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *                       / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)].
 */
export function bgnbdExpectedTransactions(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  // At a = 1 the formula is 0/0 (its limit is finite and smooth): average the two sides instead.
  if (Math.abs(a - 1) < 1e-4) {
    return (bgnbdExpectedTransactions({ ...params, a: 1 - 2e-4 }, t, x, tx, T) + bgnbdExpectedTransactions({ ...params, a: 1 + 2e-4 }, t, x, tx, T)) / 2;
  }
  const head = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)));
  return head * bgnbdProbabilityAlive(params, x, tx, T);
}

/**
 * Probability that a customer with history (x, t_x, T) is still alive at T (Fader, Hardie & Lee,
 * note "Computing P(alive) using the BG/NBD model"):
 * 1 / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)]. Customers without repeat purchases are alive.
 */
export function bgnbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))));
}
