import type { ProgressCallback } from '../core/progress';
import type { BgNbdParams } from '../core/crm/bgnbd';
import type { GammaGammaParams } from '../core/crm/gamma-gamma';
import type { HoldoutRow } from '../core/crm/holdout';

/** Per-customer calibration summary (parallel Float64Arrays, transferred). */
export interface ClvInput {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  m: Float64Array;
  /** Transactions observed in the holdout period, for the calibration-vs-holdout check. */
  xHoldout?: Float64Array;
}

/** Settings of a CLV fit: horizon and holdout length in model time units (weeks). */
export interface ClvFitOptions {
  horizon: number;
  monthlyDiscount?: number;
  holdoutLength?: number;
}

/** Fitted parameters and per-customer predictions (typed arrays transferred back). */
export interface ClvFitResult {
  bgnbd: BgNbdParams;
  bgnbdLogLikelihood: number;
  gammaGamma: GammaGammaParams;
  pAlive: Float64Array;
  expectedTransactions: Float64Array;
  expectedSpend: Float64Array;
  clv: Float64Array;
  holdout?: { rows: HoldoutRow[]; totalActual: number; totalExpected: number };
}

/** The CRM worker (workers/crm.worker.ts): model fits that would block the page. */
export interface CrmApi {
  fitClv(input: ClvInput, options: ClvFitOptions, onProgress?: ProgressCallback): Promise<ClvFitResult>;
}
