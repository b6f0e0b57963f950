/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { decodeColumn } from '../src/core/models/column-codes';
import { fitModel, predictModel } from '../src/core/models/pipeline';
import { trainingSplit } from '../src/core/models/train';
import { trainModelsShared } from '../src/core/models/train-shared';
import { crossValidateSpecs } from '../src/core/models/tune';
import { throttleProgress } from '../src/core/progress';
import { installErrorTransfer } from '../src/shared/comlink-errors';
import type { ModelsApi } from '../src/shared/models-api';
import { helperThreads } from './helper-threads';

/** Rows scored per slice, so progress can be reported while a large table is scored. */
const SCORE_SLICE = 50_000;

/**
 * Predictive models off the main thread: a thin layer over src/core/models. Progress is throttled
 * to 10 reports a second; result typed arrays are transferred. Exported for tests, which expose it
 * on a MessageChannel; in a worker it exposes itself.
 */
export const modelsWorker = {
  async train(input, request, onProgress) {
    const columns = input.columns.map(decodeColumn);
    // A large binary logistic regression shares its row passes with helper threads.
    const r = await trainModelsShared(columns, input.target, input.targetName, request.specs, { ...request, onProgress: throttleProgress(onProgress) }, logisticHelpers);
    // The caller already holds the models it passed in (a forest can be large): not sent back.
    r.runs.forEach((run, i) => {
      if (request.fitted?.[i]) run.model = undefined;
    });
    const arrays: ArrayBufferView[] = [r.train, r.test, r.testTruth];
    for (const run of r.runs) arrays.push(...[run.testProba, run.testPredicted].filter((a): a is Float64Array => a !== undefined));
    return Comlink.transfer(r, buffers(arrays));
  },
  async tune(input, request, onProgress) {
    const columns = input.columns.map(decodeColumn);
    return crossValidateSpecs(columns, input.target, input.targetName, request.specs, { ...request, onProgress: throttleProgress(onProgress) });
  },
  async fitForest(input, request, onProgress) {
    const columns = input.columns.map(decodeColumn);
    const { spec, seed, testFraction, firstTree, nTrees } = request;
    const rows = trainingSplit(input.target, { seed, testFraction }).train;
    return fitModel(columns, input.target, input.targetName, { ...spec, params: { ...spec.params, nTrees } }, rows, { seed, firstTree, onProgress: throttleProgress(onProgress) });
  },
  async score(input, model, onProgress) {
    const columns = input.columns.map(decodeColumn);
    const n = columns.length ? columns[0].values.length : 0;
    const progress = throttleProgress(onProgress);
    const K = model.classes.length;
    const proba = model.task === 'classification' ? new Float64Array(n * K) : null;
    const values = new Float64Array(n);
    for (let start = 0; start < n; start += SCORE_SLICE) {
      const rows = Int32Array.from({ length: Math.min(SCORE_SLICE, n - start) }, (_, i) => start + i);
      const p = predictModel(model, columns, rows);
      values.set(p.values, start);
      if (proba && p.proba) proba.set(p.proba, start * K);
      progress({ stage: 'scoring rows', fraction: Math.min(1, (start + rows.length) / n), detail: { rows: start + rows.length } });
    }
    return Comlink.transfer({ proba, values }, buffers(proba ? [proba, values] : [values]));
  },
} satisfies ModelsApi;

/** The logistic-regression helper threads (see helper-threads.ts). */
const logisticHelpers = helperThreads(() => new Worker(new URL('./block-helper.worker.ts', import.meta.url), { type: 'module', name: 'block-helper' }));

function buffers(arrays: ArrayBufferView[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  installErrorTransfer();
  Comlink.expose(modelsWorker);
}
