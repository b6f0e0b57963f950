import type { Progress, ProgressCallback } from '../core/progress';
import type { BackendName, BackendReport } from '../neural/backend';
import type { ModelSpec } from '../neural/models';
import type { EpochReport, TrainOptions } from '../neural/train';
import type { TabularRun } from '../neural/tabular';
import type { TrainInput } from './models-api';

export type { BackendName, BackendReport, AdapterSummary } from '../neural/backend';
export type { ModelSpec, MlpSpec, SequenceSpec, TextSpec, NeuralTask } from '../neural/models';
export type { EpochReport } from '../neural/train';
export type { TabularRun } from '../neural/tabular';
export type { Progress, ProgressCallback };

/**
 * Rows crossing to the neural worker: inputs row-major (n × the spec's input shape; Float32 for
 * features and activity, Int32 for token ids) and one target per row. Transfer the buffers.
 */
export interface NeuralRows {
  x: Float32Array | Int32Array;
  y: Float32Array;
  n: number;
}

/** Inputs only, for prediction. */
export interface NeuralInputs {
  x: Float32Array | Int32Array;
  n: number;
}

/** Training options that can cross the boundary (no callbacks, no signal: cancel terminates the worker). */
export type NeuralTrainOptions = Omit<TrainOptions, 'signal' | 'onEpoch' | 'beforeBatch' | 'validationData' | 'fallbackBackends'> & {
  /** Backends to resume on if the current one fails mid-training (default: the rest of the default order). */
  fallbackBackends?: BackendName[];
};

/** What a training run gives back; the model stays in the worker under `modelId`. */
export interface NeuralTrainResult {
  modelId: string;
  history: EpochReport[];
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Backend the model lives on. */
  backend: BackendName;
  failures: { backend: string; resumedFromEpoch: number; reason: string }[];
}

/** The Predict room's MLP request: the shared split's rows, the hidden layers and the training options. */
export interface TabularTrainRequest {
  train: Int32Array;
  test: Int32Array;
  hidden?: number[];
  options: NeuralTrainOptions;
}

/** Tensors and bytes the worker's tfjs engine holds (`tf.memory()`). */
export interface NeuralMemory {
  numTensors: number;
  numBytes: number;
}

/**
 * The neural worker (workers/neural.worker.ts): tfjs models on WebGPU → WebGL → WASM → CPU.
 * Bulk data crosses as typed arrays (transferred both ways); progress is a `Comlink.proxy`
 * throttled to ≤ 10 calls/s with the epoch's figures in `detail`; cancelling is the client's job
 * (terminate the worker). Trained models stay in the worker, named by `modelId`.
 */
export interface NeuralApi {
  /** Chooses (or, with `override`, forces) the backend and says what runs and why others were skipped. */
  useBackend(override?: BackendName): Promise<BackendReport>;
  /** The current backend report (chooses the default one first if none was chosen). */
  backendReport(): Promise<BackendReport>;
  /** Trains a model of `spec` on the rows. */
  train(spec: ModelSpec, rows: NeuralRows, options: NeuralTrainOptions, onProgress?: ProgressCallback): Promise<NeuralTrainResult>;
  /** Model outputs, n × outputs row-major (class-1 probability, class probabilities, or values). */
  predict(modelId: string, inputs: NeuralInputs): Promise<Float32Array>;
  /**
   * The Predict room's MLP: preprocessing fitted on `request.train` in the worker, trained, scored
   * on `request.test` with the leaderboard's figures; the net itself is not kept.
   */
  trainTabular(input: TrainInput, request: TabularTrainRequest, onProgress?: ProgressCallback): Promise<TabularRun>;
  /** Saves a model in this browser's IndexedDB under `name` (never on a server), with plain-JSON `metadata` (vocabulary, classes…). */
  save(modelId: string, name: string, metadata?: Record<string, unknown>): Promise<void>;
  /** Loads a model saved under `name`; returns its new id, spec and the metadata saved with it. */
  load(name: string): Promise<{ modelId: string; spec: ModelSpec; metadata: Record<string, unknown> }>;
  /** Names of the models saved in this browser. */
  savedModels(): Promise<string[]>;
  /** Frees a model's tensors. */
  dispose(modelId: string): Promise<void>;
  /** The engine's tensor count and bytes, to check nothing leaks. */
  memory(): Promise<NeuralMemory>;
}
