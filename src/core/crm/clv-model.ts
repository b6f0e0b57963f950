import { throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { bgnbdExpectedTransactions, bgnbdProbabilityAlive, fitBgNbd, type BgNbdFit } from './bgnbd';
import { customerLifetimeValue, type ClvOptions } from './clv';
import { fitGammaGamma, gammaGammaExpectedSpend, type GammaGammaFit } from './gamma-gamma';

/** The per-customer summary both models need (parallel arrays; see summary.ts). */
export interface ClvSummary {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Mean value of the repeat transactions; NaN (or anything) when x = 0. */
  m: ArrayLike<number>;
}

/** Fitted models and one prediction per customer, in the summary's order. */
export interface ClvModel {
  bgnbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
  /** P(alive) at the end of the calibration period. */
  pAlive: Float64Array;
  /** Expected transactions in the horizon. */
  expectedTransactions: Float64Array;
  /** Expected spend per transaction (currency units). */
  expectedSpend: Float64Array;
  /** CLV over the horizon (currency units). */
  clv: Float64Array;
}

/**
 * Fits BG/NBD (Fader, Hardie & Lee 2005) on every customer and Gamma-Gamma (Fader & Hardie 2013)
 * on the customers with a repeat purchase of positive mean value, then predicts P(alive),
 * expected transactions, expected spend and CLV over `options.horizon` for every customer.
 * Progress: 0–0.6 BG/NBD, 0.6–0.9 Gamma-Gamma, then predictions. Cancellable via `signal`.
 */
export function fitClvModel(summary: ClvSummary, options: ClvOptions & { signal?: AbortSignal; onProgress?: ProgressCallback }): ClvModel {
  const { signal, onProgress } = options;
  const n = summary.x.length;
  const bgnbd = fitBgNbd(summary, { signal, onProgress: (p) => onProgress?.({ ...p, stage: `BG/NBD ${p.stage}`, fraction: 0.3 }) });
  onProgress?.({ stage: 'BG/NBD fitted', fraction: 0.6 });
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    if (summary.x[i] > 0 && summary.m[i] > 0) {
      xs.push(summary.x[i]);
      ms.push(summary.m[i]);
    }
  }
  const gammaGamma = fitGammaGamma({ x: xs, m: ms }, { signal, onProgress: (p) => onProgress?.({ ...p, stage: `Gamma-Gamma ${p.stage}`, fraction: 0.75 }) });
  onProgress?.({ stage: 'Gamma-Gamma fitted', fraction: 0.9 });
  const pAlive = new Float64Array(n);
  const expectedTransactions = new Float64Array(n);
  const expectedSpend = new Float64Array(n);
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 4096 === 0) throwIfAborted(signal);
    const x = summary.x[i];
    const m = x > 0 && summary.m[i] > 0 ? summary.m[i] : 0;
    const used = m > 0 ? x : 0;
    pAlive[i] = bgnbdProbabilityAlive(bgnbd.params, x, summary.tx[i], summary.T[i]);
    expectedTransactions[i] = bgnbdExpectedTransactions(bgnbd.params, options.horizon, x, summary.tx[i], summary.T[i]);
    expectedSpend[i] = gammaGammaExpectedSpend(gammaGamma.params, used, m);
    clv[i] = customerLifetimeValue(bgnbd.params, gammaGamma.params, { x, tx: summary.tx[i], T: summary.T[i], m }, options);
  }
  onProgress?.({ stage: 'predicted', fraction: 1 });
  return { bgnbd, gammaGamma, pAlive, expectedTransactions, expectedSpend, clv };
}
