import * as tf from '@tensorflow/tfjs';
import { AppError, errorMessage, isAbort, throwIfAborted } from '../core/errors';
import { trainTestSplit } from '../core/models/split';
import { createRng } from '../core/random';
import { buildModel, inputShape, lossName, type ModelSpec } from './models';
import { evaluateValidation, rowWidth, takeRows, type NeuralData } from './data';
import { restoreModel, restoreOptimizer, snapshotModel, snapshotOptimizer, type TrainingSnapshot, type WeightSnapshot } from './snapshot';

/** How a model is trained (Adam, mini-batches, seeded shuffles). */
export interface TrainOptions {
  /** Passes over the training rows (default 20). */
  epochs?: number;
  /** Rows per gradient step (default 32). */
  batchSize?: number;
  /** Adam step size (default 0.001; Kingma & Ba 2015). */
  learningRate?: number;
  /** Seed of the initial weights, the validation split and every epoch's shuffle (default 0). */
  seed?: number;
  /** Share of rows held out for validation (seeded, stratified for classes), in [0, 1) (default 0.1; 0 = none). */
  validationSplit?: number;
  /** Explicit validation rows; replaces `validationSplit`. */
  validationData?: NeuralData;
  /** Early stopping: epochs without a validation-loss improvement before stopping (default: never stop early). */
  patience?: number;
  /** Smallest decrease of the validation loss that counts as an improvement (default 0). */
  minDelta?: number;
  /** Cancels between batches; the run rejects with an AbortError. */
  signal?: AbortSignal;
  /** Called after each completed epoch. */
  onEpoch?: (report: EpochReport) => void;
  /**
   * Backends to resume on, in order, when the current one fails mid-training (a lost WebGPU
   * device, a missing kernel): the model is rebuilt there from the last completed epoch's snapshot.
   */
  fallbackBackends?: string[];
  /** Test hook, called before every batch: throwing here simulates a backend failure. */
  beforeBatch?: (epoch: number, batch: number) => void;
}

/** Figures of one completed epoch. */
export interface EpochReport {
  /** 1-based epoch number. */
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Validation loss, when there are validation rows. */
  valLoss?: number;
  /** Validation accuracy (classification with validation rows). */
  valAccuracy?: number;
  /** Seconds the epoch took (training and validation). */
  seconds: number;
  /** Backend the epoch ran on. */
  backend: string;
}

/** A trained model and how it got there. */
export interface TrainResult {
  model: tf.LayersModel;
  history: EpochReport[];
  /** Epoch whose weights the model holds (the best validation loss under early stopping, else the last). */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Backend the model lives on now. */
  backend: string;
  /** Backends that failed, with the epoch the run resumed from and why. */
  failures: { backend: string; resumedFromEpoch: number; reason: string }[];
}

function compile(model: tf.LayersModel, spec: ModelSpec, learningRate: number): tf.Optimizer {
  const optimizer = tf.train.adam(learningRate);
  model.compile({ optimizer, loss: lossName(spec.task) });
  return optimizer;
}

function validateData(spec: ModelSpec, data: NeuralData, what: string): void {
  const width = inputShape(spec).reduce((a, b) => a * b, 1);
  if (data.n < 1) throw new AppError('invalid-argument', `${what} has no rows.`);
  if (data.x.length !== data.n * width) throw new AppError('invalid-argument', `${what}: ${data.x.length} input values for ${data.n} rows of shape [${inputShape(spec)}].`);
  if (data.y.length !== data.n) throw new AppError('invalid-argument', `${what}: ${data.y.length} targets for ${data.n} rows.`);
}

/** Splits off seeded validation rows (stratified by class for classification). */
function splitValidation(spec: ModelSpec, data: NeuralData, share: number, seed: number): { train: NeuralData; val?: NeuralData } {
  if (!(share > 0)) return { train: data };
  const stratify = spec.task === 'regression' ? undefined : Int32Array.from(data.y);
  const fold = trainTestSplit(data.n, { testFraction: share, seed, stratify });
  return { train: takeRows(data, fold.train, rowWidth(data)), val: takeRows(data, fold.test, rowWidth(data)) };
}

/**
 * Trains a model of `spec` with Adam on mini-batches, seeded: the same spec, data, options and
 * backend give the same weights. After each epoch the weights and optimizer state are copied
 * out; a backend that throws mid-epoch is replaced by the next of `fallbackBackends` and training
 * resumes from the last completed epoch. With `patience`, training stops when the validation
 * loss has not improved for that many epochs and the best epoch's weights are restored (as
 * Keras' `EarlyStopping(restore_best_weights=True)`). Every intermediate tensor is disposed;
 * the caller owns (and disposes) the returned model.
 */
export async function trainModel(spec: ModelSpec, data: NeuralData, options: TrainOptions = {}): Promise<TrainResult> {
  const { epochs = 20, batchSize = 32, learningRate = 0.001, seed = 0, validationSplit = 0.1, patience, minDelta = 0, signal, onEpoch, beforeBatch } = options;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new AppError('invalid-argument', `epochs must be a positive whole number; got ${epochs}.`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new AppError('invalid-argument', `the batch size must be a positive whole number; got ${batchSize}.`);
  if (!(learningRate > 0)) throw new AppError('invalid-argument', `the learning rate must be positive; got ${learningRate}.`);
  validateData(spec, data, 'the training data');
  const { train, val } = options.validationData ? { train: data, val: options.validationData } : splitValidation(spec, data, validationSplit, seed);
  if (val) validateData(spec, val, 'the validation data');
  const fallbacks = [...(options.fallbackBackends ?? [])];
  const width = rowWidth(train);
  const shape = inputShape(spec);

  let model = buildModel(spec, seed);
  let optimizer = compile(model, spec, learningRate);
  const history: EpochReport[] = [];
  const failures: TrainResult['failures'] = [];
  let last: TrainingSnapshot = { epoch: 0, model: await snapshotModel(model), optimizer: { names: [], values: [], shapes: [] } };
  let best: { epoch: number; loss: number; weights: WeightSnapshot } | undefined;
  let stoppedEarly = false;

  try {
    let epoch = 0;
    while (epoch < epochs) {
      try {
        throwIfAborted(signal);
        const t0 = performance.now();
        const order = createRng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(Array.from({ length: train.n }, (_, i) => i));
        let lossSum = 0;
        let batches = 0;
        for (let start = 0; start < train.n; start += batchSize) {
          throwIfAborted(signal);
          beforeBatch?.(epoch, batches);
          const batch = takeRows(train, order.slice(start, start + batchSize), width);
          const xs = batch.x instanceof Int32Array ? tf.tensor(batch.x, [batch.n, ...shape], 'int32') : tf.tensor(batch.x, [batch.n, ...shape], 'float32');
          const ys = tf.tensor2d(batch.y, [batch.n, 1]);
          try {
            const loss = await model.trainOnBatch(xs, ys);
            lossSum += Array.isArray(loss) ? loss[0] : loss;
          } finally {
            tf.dispose([xs, ys]);
          }
          batches++;
          // Let the event loop breathe so an abort (or a progress message) gets through.
          if (batches % 8 === 0) await new Promise((r) => setTimeout(r, 0));
        }
        const v = val ? await evaluateValidation(spec, model, val) : undefined;
        const valLoss = v?.loss;
        const report: EpochReport = { epoch: epoch + 1, epochs, loss: lossSum / batches, valLoss, ...(v?.accuracy === undefined ? {} : { valAccuracy: v.accuracy }), seconds: (performance.now() - t0) / 1000, backend: tf.getBackend() };
        last = { epoch: epoch + 1, model: await snapshotModel(model), optimizer: await snapshotOptimizer(optimizer) };
        history.push(report);
        epoch++;
        onEpoch?.(report);
        if (valLoss !== undefined && patience !== undefined) {
          if (!best || valLoss < best.loss - minDelta) best = { epoch: report.epoch, loss: valLoss, weights: last.model };
          else if (report.epoch - best.epoch >= patience) {
            stoppedEarly = true;
            break;
          }
        }
      } catch (err) {
        if (isAbort(err) || fallbacks.length === 0) throw err;
        const failed = tf.getBackend();
        const next = fallbacks.shift()!;
        failures.push({ backend: failed, resumedFromEpoch: last.epoch, reason: errorMessage(err) });
        disposeQuietly(model, optimizer);
        if (!(await tf.setBackend(next))) throw new AppError('engine-crashed', `training failed on ${failed} (${errorMessage(err)}) and the ${next} backend could not start.`, { cause: err });
        model = buildModel(spec, seed);
        optimizer = compile(model, spec, learningRate);
        restoreModel(model, last.model);
        await restoreOptimizer(optimizer, last.optimizer);
        epoch = last.epoch;
      }
    }
    if (best && best.epoch !== history.length) restoreModel(model, best.weights);
  } catch (err) {
    disposeQuietly(model, optimizer);
    throw err;
  }
  optimizer.dispose();
  return { model, history, bestEpoch: best?.epoch ?? history.length, stoppedEarly, backend: tf.getBackend(), failures };
}

/** Frees a model and its optimizer, ignoring errors from a backend that has already failed. */
function disposeQuietly(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  try {
    model.dispose();
  } catch {
    /* the backend is gone; its memory with it */
  }
  try {
    optimizer.dispose();
  } catch {
    /* idem */
  }
}
