import * as Comlink from 'comlink';
import type { BackendName, NeuralApi, NeuralInputs, NeuralRows } from '../../shared/neural-api';
import { columnBuffers } from '../../core/models/column-codes';
import type { TrainInput } from '../../shared/models-api';
import { createWorkerHandle, progressProxy as progress } from './worker-client';

/**
 * The neural worker, wrapped: every NeuralApi method, input typed arrays transferred (the
 * caller's arrays are detached afterwards), progress proxied, and `cancel()`. A cancelled or
 * crashed worker loses its trained models; the next call starts a fresh worker on the same
 * backend override.
 */
export interface NeuralClient extends NeuralApi {
  /** Stops the running job: the worker is terminated and pending calls reject with an AbortError. */
  cancel(): void;
}

function targetBuffers(input: TrainInput): ArrayBuffer[] {
  const b = input.target.task === 'classification' ? input.target.codes.buffer : input.target.values.buffer;
  return b instanceof ArrayBuffer ? [b] : [];
}

function send<I extends NeuralRows | NeuralInputs>(input: I): I {
  const buffers = [input.x.buffer, ...('y' in input ? [input.y.buffer] : [])].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  return Comlink.transfer(input, [...new Set(buffers)]);
}

/** Creates the neural client; the worker (workers/neural.worker.ts) starts on first use. */
export function createNeuralClient(): NeuralClient {
  let override: BackendName | undefined;
  const worker = createWorkerHandle<NeuralApi>(
    () => new Worker(new URL('../../../workers/neural.worker.ts', import.meta.url), { type: 'module', name: 'neural' }),
    'neural-network worker',
    // A fresh worker keeps the analyst's backend choice.
    async (api) => {
      if (override) await api.useBackend(override);
    },
  );
  const track = worker.call;
  return {
    useBackend: (choice) => {
      override = choice;
      return track((api) => api.useBackend(choice));
    },
    backendReport: () => track((api) => api.backendReport()),
    train: (spec, rows, options, onProgress) => track((api) => api.train(spec, send(rows), options, progress(onProgress))),
    trainTabular: (input, request, onProgress) =>
      track((api) => api.trainTabular(Comlink.transfer(input, [...new Set([...columnBuffers(input.columns), ...targetBuffers(input)])]), Comlink.transfer(request, [request.train.buffer, request.test.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)), progress(onProgress))),
    predict: (modelId, inputs) => track((api) => api.predict(modelId, send(inputs))),
    save: (modelId, name, metadata) => track((api) => api.save(modelId, name, metadata)),
    savedModels: () => track((api) => api.savedModels()),
    load: (name) => track((api) => api.load(name)),
    dispose: (modelId) => track((api) => api.dispose(modelId)),
    memory: () => track((api) => api.memory()),
    cancel: () => worker.cancel(),
  };
}
