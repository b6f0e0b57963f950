import type { CodedColumn } from '../core/models/column-codes';
import type { ModelSpec, TrainedModel } from '../core/models/pipeline';
import type { TrainOptions, TrainResult } from '../core/models/train';
import type { TuneOptions, TuneRow } from '../core/models/tune';
import type { ProgressCallback } from '../core/progress';

export type { CodedColumn } from '../core/models/column-codes';
export type { ModelSpec, TrainedModel } from '../core/models/pipeline';
export type { ModelRun, TrainResult } from '../core/models/train';
export type { TuneRow } from '../core/models/tune';

/** A training set crossing the worker boundary: input columns and the target, as typed arrays (transfer them). */
export interface TrainInput {
  columns: CodedColumn[];
  targetName: string;
  /** Class codes (with `classes`) for classification, or numbers for regression. */
  target: { task: 'classification'; codes: Int32Array; classes: string[] } | { task: 'regression'; values: Float64Array };
}

/** What to train: the models and the shared split. */
export interface TrainRequest extends Omit<TrainOptions, 'signal' | 'onProgress'> {
  specs: ModelSpec[];
}

/** One worker's share of a random forest: trees `firstTree` … `firstTree + nTrees − 1` of `spec`'s forest. */
export interface ForestShareRequest {
  spec: ModelSpec;
  /** Seed of the split and the trees, and the test share: the forest grows on the training part of core/models/train.ts `trainingSplit`. */
  seed: number;
  testFraction: number;
  firstTree: number;
  nTrees: number;
}

/** Scores of every row: probabilities `n × K` (classification) and predicted codes or targets. */
export interface ScoreResult {
  proba: Float64Array | null;
  values: Float64Array;
}

/**
 * The models worker (workers/models.worker.ts), a thin layer over src/core/models. Stateless: each
 * call carries its data (typed arrays, transferred) and, for scoring, the trained pipeline as JSON.
 * Cancelling is the client's job (terminate the worker).
 */
export interface ModelsApi {
  /** Trains each model on one seeded split; see core/models/train.ts `trainModels`. Runs of models passed in `fitted` come back without `model` (the caller has it). */
  train(input: TrainInput, request: TrainRequest, onProgress?: ProgressCallback): Promise<TrainResult>;
  /** k-fold cross-validates each candidate (a share of a grid search); see core/models/tune.ts. */
  tune(input: TrainInput, request: Omit<TuneOptions, 'signal' | 'onProgress'> & { specs: ModelSpec[] }, onProgress?: ProgressCallback): Promise<TuneRow[]>;
  /** Grows a share of a random forest (preprocessing fitted on `rows`); merge the shares with core/models/train.ts `mergeForestShares`. */
  fitForest(input: TrainInput, request: ForestShareRequest, onProgress?: ProgressCallback): Promise<TrainedModel>;
  /** Scores every row of `input.columns` with a trained pipeline. */
  score(input: { columns: CodedColumn[] }, model: TrainedModel, onProgress?: ProgressCallback): Promise<ScoreResult>;
}
