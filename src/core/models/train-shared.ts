import type { BlockHelpers } from '../block-pool';
import { isAbort, throwIfAborted } from '../errors';
import { fitLogisticRegressionShared } from './logistic';
import { takeValues } from './matrix';
import { fitInputs, logisticOptions, modelLabel, pipelineOf, type ModelSpec, type ModelTarget, type TrainedModel } from './pipeline';
import type { FeatureColumn } from './preprocess';
import { trainingSplit, trainModels, type TrainOptions, type TrainResult } from './train';

/** Training rows from which a logistic regression is shared with helper threads (below, it takes a few ms alone). */
export const SHARED_FIT_ROWS = 50_000;

/**
 * A logistic-regression pipeline as pipeline.ts `fitModel` fits it — the same model to the last
 * bit — with the solver's row passes shared between this thread and `helpers` (logistic.ts
 * `fitLogisticRegressionShared`); `threads`: how many ran it.
 */
export async function fitLogisticPipelineShared(
  columns: FeatureColumn[],
  target: Extract<ModelTarget, { task: 'classification' }>,
  targetName: string,
  spec: ModelSpec,
  trainRows: Int32Array,
  seed: number,
  helpers: BlockHelpers,
  signal?: AbortSignal,
): Promise<{ model: TrainedModel; threads: number }> {
  const { preprocess, x } = fitInputs(columns, target, spec, trainRows, typeof SharedArrayBuffer !== 'undefined');
  const codes = takeValues(target.codes, trainRows);
  const fit = await fitLogisticRegressionShared(x, codes, { ...logisticOptions(spec, target.classes.length), signal }, helpers);
  return { model: pipelineOf(columns, target, targetName, spec, preprocess, { kind: 'logistic', model: fit.model }, trainRows.length, seed), threads: fit.threads };
}

/**
 * train.ts `trainModels`, with each binary L2 logistic regression on at least
 * {@link SHARED_FIT_ROWS} training rows fitted first across helper threads (`helpers` starts or
 * returns them; undefined: none to be had) and handed to trainModels as already fitted. The
 * models, scores and explanations are the same as trainModels' own; those runs say how many
 * threads fitted them. A shared fit that fails is left to trainModels, which reports the error.
 */
export async function trainModelsShared(
  columns: FeatureColumn[],
  target: ModelTarget,
  targetName: string,
  specs: ModelSpec[],
  options: TrainOptions,
  helpers: () => Promise<BlockHelpers | undefined>,
): Promise<TrainResult> {
  const { seed = 0, testFraction, signal, onProgress } = options;
  const fitted = specs.map((_, i) => options.fitted?.[i] ?? null);
  const threads = specs.map(() => 1);
  const train = trainingSplit(target, { seed, testFraction }).train;
  const sharable = (spec: ModelSpec, i: number) => spec.kind === 'logistic' && spec.params?.penalty !== 'l1' && !fitted[i];
  if (target.task === 'classification' && target.classes.length === 2 && train.length >= SHARED_FIT_ROWS && specs.some(sharable)) {
    const pool = await helpers();
    for (const [i, spec] of specs.entries()) {
      if (!pool || !sharable(spec, i)) continue;
      throwIfAborted(signal);
      onProgress?.({ stage: `${modelLabel(spec)}: fitting on ${pool.size + 1} threads`, fraction: i / specs.length, detail: { model: `${i + 1} of ${specs.length}` } });
      const started = performance.now();
      try {
        const fit = await fitLogisticPipelineShared(columns, target, targetName, spec, train, seed, pool, signal);
        fitted[i] = { model: fit.model, seconds: (performance.now() - started) / 1000 };
        threads[i] = fit.threads;
      } catch (err) {
        if (isAbort(err)) throw err;
      }
    }
  }
  const result = trainModels(columns, target, targetName, specs, { ...options, fitted });
  result.runs.forEach((run, i) => {
    if (threads[i] > 1 && run.model) run.threads = threads[i];
  });
  return result;
}
