/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { AppError } from '../src/core/errors';
import { throttleProgress } from '../src/core/progress';
import { browserBackendLoaders } from '../src/neural/backend-loaders';
import { BACKEND_ORDER, chooseBackend, type BackendLoaders, type BackendName, type BackendReport } from '../src/neural/backend';
import { installFastCpuKernels } from '../src/neural/cpu-kernels';
import { predictRows } from '../src/neural/data';
import type { ModelSpec } from '../src/neural/models';
import { loadModel, saveModel } from '../src/neural/persist';
import { trainModel } from '../src/neural/train';
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
      const fallbackBackends = options.fallbackBackends ?? BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(chosen.backend) + 1).filter((b) => b !== 'webgpu');
      const r = await trainModel(spec, rows, {
        ...options,
        fallbackBackends,
        onEpoch: (e) =>
          progress({
            stage: `epoch ${e.epoch} of ${epochs}`,
            fraction: e.epoch === epochs ? 1 : e.epoch / epochs,
            detail: { loss: e.loss, ...(e.valLoss === undefined ? {} : { valLoss: e.valLoss }), seconds: e.seconds, backend: e.backend },
          }),
      });
      if (r.failures.length) report = { ...chosen, backend: r.backend as BackendName };
      return { modelId: keep(r.model, spec), history: r.history, bestEpoch: r.bestEpoch, stoppedEarly: r.stoppedEarly, backend: r.backend as BackendName, failures: r.failures };
    },
    async predict(modelId, inputs) {
      const { model, spec } = entry(modelId);
      const out = await predictRows(spec, model, inputs.x, inputs.n);
      return Comlink.transfer(out, [out.buffer as ArrayBuffer]);
    },
    async save(modelId, name) {
      const { model, spec } = entry(modelId);
      await saveModel(model, `indexeddb://clientele-${name}`, { spec });
    },
    async load(name) {
      await ensureBackend();
      const model = await loadModel(`indexeddb://clientele-${name}`);
      const spec = (model.getUserDefinedMetadata() as { spec?: ModelSpec } | undefined)?.spec;
      if (!spec) {
        model.dispose();
        throw new AppError('bad-input', `the saved model "${name}" has no Clientele spec; save it again from Clientele.`);
      }
      return { modelId: keep(model, spec), spec };
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

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  installErrorTransfer();
  Comlink.expose(createNeuralWorker(browserBackendLoaders));
}
