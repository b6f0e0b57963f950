import type { ProgressCallback } from '../progress';
import { fitClvModel } from './clv-model';
import { calibrationHoldout } from './holdout';
import type { ClvFitOptions, ClvFitResult, ClvInput } from '../../shared/crm-api';

/**
 * The CLV job the CRM worker runs: BG/NBD + Gamma-Gamma fitted on the calibration summary,
 * predictions for every customer over the horizon, and — when holdout counts are given — the
 * calibration-vs-holdout comparison of Fader, Hardie & Lee (2005). Pure; cancellable.
 */
export function runClvJob(input: ClvInput, options: ClvFitOptions, onProgress?: ProgressCallback, signal?: AbortSignal): ClvFitResult {
  const model = fitClvModel(input, { horizon: options.horizon, monthlyDiscount: options.monthlyDiscount, signal, onProgress });
  const holdout =
    input.xHoldout && options.holdoutLength
      ? calibrationHoldout(model.bgnbd.params, { x: input.x, tx: input.tx, T: input.T, xHoldout: input.xHoldout }, options.holdoutLength)
      : undefined;
  return {
    bgnbd: model.bgnbd.params,
    bgnbdLogLikelihood: model.bgnbd.logLikelihood,
    gammaGamma: model.gammaGamma.params,
    pAlive: model.pAlive,
    expectedTransactions: model.expectedTransactions,
    expectedSpend: model.expectedSpend,
    clv: model.clv,
    holdout,
  };
}
