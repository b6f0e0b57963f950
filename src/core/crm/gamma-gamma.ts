import { AppError } from '../errors';
import type { ProgressCallback } from '../progress';
import { nelderMead } from './nelder-mead';
import { groupCounts, logGamma } from './special';

/**
 * Gamma-Gamma model of spend per transaction: Fader & Hardie (2013), "The Gamma-Gamma model of
 * monetary value" (note, brucehardie.com/notes/025). Each of a customer's transactions is
 * z ~ Gamma(p, ν) and ν ~ Gamma(q, γ) across customers; spend is independent of the purchase
 * process. Amounts in the table's currency.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  /** Rate of ν across customers (currency units); population mean spend is p·γ/(q − 1). */
  gamma: number;
}

/**
 * Per-customer spend summary: `x` transactions (≥ 1) and `m` their mean value (> 0). Clientele
 * uses repeat transactions only (x and the mean of the transactions after the first), as in the
 * note's CDNOW example and the `lifetimes` package; customers with x = 0 are left out of the fit.
 */
export interface GammaGammaData {
  x: ArrayLike<number>;
  m: ArrayLike<number>;
}

/** Throws an AppError naming the first row with x < 1 or a non-positive mean spend. */
export function checkGammaGammaData(data: GammaGammaData): void {
  if (data.x.length !== data.m.length) throw new AppError('invalid-argument', `x and m must have the same length (${data.x.length}, ${data.m.length}).`);
  if (data.x.length === 0) throw new AppError('bad-input', 'No customer has a repeat purchase with a positive amount, so spend cannot be modelled.');
  for (let i = 0; i < data.x.length; i++) {
    if (!(data.x[i] >= 1 && data.m[i] > 0 && Number.isFinite(data.m[i]))) {
      throw new AppError('bad-input', `Spend row ${i + 1} has x=${data.x[i]} and mean spend ${data.m[i]}: the Gamma-Gamma model needs x ≥ 1 and a positive amount (filter returns and zero-value orders first).`);
    }
  }
}

/**
 * Log-likelihood of one customer's mean spend m over x transactions (Fader & Hardie 2013,
 * the density of z̄ = m): lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x).
 */
export function gammaGammaCustomerLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  return logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
}

function makeLogLikelihood(data: GammaGammaData): (params: GammaGammaParams) => number {
  const { values, index } = groupCounts(data.x);
  const logM = Float64Array.from(data.m, Math.log);
  const common = new Float64Array(values.length);
  return ({ p, q, gamma }) => {
    const base = q * Math.log(gamma) - logGamma(q);
    for (let k = 0; k < values.length; k++) {
      const px = p * values[k];
      common[k] = base + logGamma(px + q) - logGamma(px) + px * Math.log(values[k]);
    }
    let ll = 0;
    for (let i = 0; i < index.length; i++) {
      const k = index[i];
      const px = p * values[k];
      ll += common[k] + (px - 1) * logM[i] - (px + q) * Math.log(gamma + data.m[i] * values[k]);
    }
    return ll;
  };
}

/** Total Gamma-Gamma log-likelihood of the data under `params`. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: GammaGammaData): number {
  return makeLogLikelihood(data)(params);
}

/** Outcome of {@link fitGammaGamma}. */
export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
  converged: boolean;
}

/**
 * Maximum-likelihood fit of the Gamma-Gamma model (Fader & Hardie 2013) by Nelder–Mead on
 * log(p, q, γ). Cancellable through `signal`.
 */
export function fitGammaGamma(
  data: GammaGammaData,
  options: { initial?: GammaGammaParams; maxIterations?: number; signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): GammaGammaFit {
  checkGammaGammaData(data);
  const n = data.x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += data.m[i] / n;
  const start = options.initial ?? { p: 1, q: 3, gamma: 2 * mean };
  const ll = makeLogLikelihood(data);
  const toParams = (v: Float64Array): GammaGammaParams => ({ p: Math.exp(v[0]), q: Math.exp(v[1]), gamma: Math.exp(v[2]) });
  const result = nelderMead((v) => -ll(toParams(v)) / n, [Math.log(start.p), Math.log(start.q), Math.log(start.gamma)], {
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
 * Expected spend per transaction of a customer with x transactions of mean m (Fader & Hardie
 * 2013, conditional expectation of z̄): (γ + m x)·p / (p x + q − 1), a weighted mean of the population mean p·γ/(q−1)
 * and the customer's own mean m. With x = 0 it is the population mean. Needs q > 1.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  if (!(q > 1)) throw new AppError('invalid-argument', `the Gamma-Gamma mean spend is infinite when q ≤ 1 (q = ${q}).`);
  if (x <= 0) return (p * gamma) / (q - 1);
  return ((gamma + m * x) * p) / (p * x + q - 1);
}
