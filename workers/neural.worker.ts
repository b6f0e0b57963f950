/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { AppError } from '../src/core/errors';
import { throttleProgress, type ProgressCallback } from '../src/core/progress';
import { browserBackendLoaders } from '../src/neural/backend-loaders';
import { BACKEND_ORDER, chooseBackend, type BackendLoaders, type BackendName, type BackendReport } from '../src/neural/backend';
import { installFastCpuKernels } from '../src/neural/cpu-kernels';
import { predictRows } from '../src/neural/data';
import type { ModelSpec } from '../src/neural/models';
import { loadModel, saveModel } from '../src/neural/persist';
import { trainTabularMlp } from '../src/neural/tabular';
import { trainModel, type EpochReport } from '../src/neural/train';
import { decodeColumn } from '../src/core/models/column-codes';
import { installErrorTransfer } from '../src/shared/comlink-errors';
import type { NeuralApi } from '../src/shared/neural-api';

/**
 * tfjs models off the main thread: backend choice (WebGPU on a real adapter first), training
 * with per-epoch progress (throttled to 10 reports a second), prediction, and IndexedDB storage.
 * Trained models stay here, named by id. Exported as a factory for tests (Node passes its own
 * backend loaders); in a worker it exposes itself with the browser's loaders.
 */
export function createNeuralWorker(loaders: BackendLoaders = {}) {
  installFastCpuKernels();
  const models = new Map<string, { model: tf.LayersModel; spec: ModelSpec }>();
  let report: BackendReport | undefined;
  let nextId = 1;

  const ensureBackend = async (): Promise<BackendReport> => (report ??= await chooseBackend({ loaders }));
  const entry = (modelId: string) => {
    const m = models.get(modelId);
    if (!m) throw new AppError('not-found', `no trained model "${modelId}" in this session; train or load it again.`);
    return m;
  };
  const keep = (model: tf.LayersModel, spec: ModelSpec): string => {
    const modelId = `model-${nextId++}`;
    models.set(modelId, { model, spec });
    return modelId;
  };

  const api = {
    async useBackend(override) {
      report = await chooseBackend({ loaders, override });
      // Models live on the backend that made them; a new backend means retraining.
      for (const { model } of models.values()) model.dispose();
      models.clear();
      return report;
    },
    backendReport: ensureBackend,
    async train(spec, rows, options, onProgress) {
      const chosen = await ensureBackend();
      const progress = throttleProgress(onProgress);
      const epochs = options.epochs ?? 20;
      const r = await trainModel(spec, rows, { ...options, fallbackBackends: fallbacksAfter(chosen, options.fallbackBackends), onEpoch: epochProgress(progress, epochs) });
      if (r.failures.length) report = { ...chosen, backend: r.backend as BackendName };
      return { modelId: keep(r.model, spec), history: r.history, bestEpoch: r.bestEpoch, stoppedEarly: r.stoppedEarly, backend: r.backend as BackendName, failures: r.failures };
    },
    async trainTabular(input, request, onProgress) {
      const chosen = await ensureBackend();
      const progress = throttleProgress(onProgress);
      const options = { ...request.options, fallbackBackends: fallbacksAfter(chosen, request.options.fallbackBackends), onEpoch: epochProgress(progress, request.options.epochs ?? 20) };
      const run = await trainTabularMlp(input.columns.map(decodeColumn), input.target, input.targetName, { ...request, options });
      const arrays = [run.testProba, run.testPredicted].filter((a): a is Float64Array => a !== undefined);
      return Comlink.transfer(run, arrays.map((a) => a.buffer as ArrayBuffer));
    },
    async predict(modelId, inputs) {
      const { model, spec } = entry(modelId);
      const out = await predictRows(spec, model, inputs.x, inputs.n);
      return Comlink.transfer(out, [out.buffer as ArrayBuffer]);
    },
    async save(modelId, name, metadata = {}) {
      const { model, spec } = entry(modelId);
      await saveModel(model, `indexeddb://clientele-${name}`, { ...metadata, spec });
    },
    async load(name) {
      await ensureBackend();
      const model = await loadModel(`indexeddb://clientele-${name}`);
      const metadata = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown> & { spec?: ModelSpec };
      const spec = metadata.spec;
      if (!spec) {
        model.dispose();
        throw new AppError('bad-input', `the saved model "${name}" has no Clientele spec; save it again from Clientele.`);
      }
      return { modelId: keep(model, spec), spec, metadata };
    },
    async savedModels() {
      const all = await tf.io.listModels();
      return Object.keys(all).filter((k) => k.startsWith('indexeddb://clientele-')).map((k) => k.slice('indexeddb://clientele-'.length)).sort();
    },
    async dispose(modelId) {
      models.get(modelId)?.model.dispose();
      models.delete(modelId);
    },
    async memory() {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    },
  } satisfies NeuralApi;
  return api;
}

/** Backends to resume on after `chosen` fails: the caller's, else the rest of the default order (never a WebGPU one again). */
function fallbacksAfter(chosen: BackendReport, asked?: BackendName[]): BackendName[] {
  return asked ?? BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(chosen.backend) + 1).filter((b) => b !== 'webgpu');
}

/** Reports each completed epoch as progress, its figures in `detail` (the live curves read them). */
function epochProgress(progress: ProgressCallback, epochs: number): (e: EpochReport) => void {
  return (e) =>
    progress({
      stage: `epoch ${e.epoch} of ${epochs}`,
      fraction: e.epoch === epochs ? 1 : e.epoch / epochs,
      detail: { epoch: e.epoch, loss: e.loss, ...(e.valLoss === undefined ? {} : { valLoss: e.valLoss }), ...(e.valAccuracy === undefined ? {} : { valAccuracy: e.valAccuracy }), seconds: e.seconds, backend: e.backend },
    });
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  installErrorTransfer();
  Comlink.expose(createNeuralWorker(browserBackendLoaders));
}
