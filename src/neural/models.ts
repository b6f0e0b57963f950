import * as tf from '@tensorflow/tfjs';
import { AppError } from '../core/errors';
import { WindowConv1D } from './window-conv';

/**
 * Model builders. A model is described by a plain-JSON {@link ModelSpec} (it crosses the worker
 * boundary and is saved beside the weights) and built by {@link buildModel} with seeded
 * initializers, so the same spec and seed give the same starting weights on every backend.
 * Layers follow Keras (tf.keras.layers), which tfjs-layers mirrors.
 */

/** What the output predicts: a 0/1 class, one of K classes, or a number. */
export type NeuralTask = 'binary' | 'multiclass' | 'regression';

/** Fields every spec shares. */
interface SpecBase {
  task: NeuralTask;
  /** Number of classes for 'multiclass' (≥ 2); ignored otherwise. */
  classes?: number;
}

/** A multilayer perceptron over a Float32 feature matrix (n × inputs) from the shared preprocessing. */
export interface MlpSpec extends SpecBase {
  kind: 'mlp';
  /** Features per row. */
  inputs: number;
  /** Units of each hidden layer (default [64, 32]); ReLU. */
  hidden?: number[];
}

/**
 * A sequence model over per-customer activity by period: input [n, periods, features]. 'gru' and
 * 'lstm' are one recurrent layer (Cho et al. 2014; Hochreiter & Schmidhuber 1997); 'cnn' is a
 * 1-D convolution over periods with global max pooling (Kim 2014 applied to time), computed by
 * {@link WindowConv1D} so that it trains on every backend.
 */
export interface SequenceSpec extends SpecBase {
  kind: 'sequence';
  cell: 'gru' | 'lstm' | 'cnn';
  periods: number;
  features: number;
  /** Recurrent units or convolution filters (default 32). */
  units?: number;
  /** Convolution width in periods, 'cnn' only (default 3). */
  kernelSize?: number;
}

/**
 * A text classifier over token ids (src/neural/text.ts): embedding, then a 1-D CNN with global
 * max pooling (Kim 2014), a GRU, or a bag of embeddings averaged over the positions (fastText;
 * Joulin et al. 2017, best with word pairs in the vocabulary), then the output layer.
 */
export interface TextSpec extends SpecBase {
  kind: 'text';
  /** Vocabulary size including padding and unknown. */
  vocabularySize: number;
  sequenceLength: number;
  encoder: 'cnn' | 'gru' | 'bag';
  /** Embedding width (default 32). */
  embeddingDim?: number;
  /** Filters (cnn) or units (gru) (default 32). */
  units?: number;
  /** Convolution width in tokens, 'cnn' only (default 3). */
  kernelSize?: number;
  /** Share of the encoding's units dropped in training before the output layer (Srivastava et al. 2014), in [0, 1) (default 0). */
  dropout?: number;
}

/** Any buildable model. */
export type ModelSpec = MlpSpec | SequenceSpec | TextSpec;

/** Shape of one input row, without the batch axis. */
export function inputShape(spec: ModelSpec): number[] {
  if (spec.kind === 'mlp') return [spec.inputs];
  if (spec.kind === 'sequence') return [spec.periods, spec.features];
  return [spec.sequenceLength];
}

/** Width of the output layer: 1 (binary, regression) or the class count. */
export function outputWidth(spec: ModelSpec): number {
  if (spec.task !== 'multiclass') return 1;
  if (!spec.classes || spec.classes < 2) throw new AppError('invalid-argument', `a multiclass model needs at least 2 classes; got ${spec.classes}.`);
  return spec.classes;
}

/** The Keras loss name that fits the task. */
export function lossName(task: NeuralTask): string {
  return task === 'binary' ? 'binaryCrossentropy' : task === 'multiclass' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError';
}

/** A seeded initializer factory: each call gives the next layer its own seed. */
function seeds(seed: number) {
  let k = 0;
  const next = () => (seed * 1009 + ++k * 7919) >>> 0;
  return {
    glorot: () => tf.initializers.glorotUniform({ seed: next() }),
    he: () => tf.initializers.heNormal({ seed: next() }),
    seed: next,
    uniform: () => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: next() }),
  };
}

function checkPositive(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new AppError('invalid-argument', `${name} must be a positive whole number; got ${v}.`);
}

/** Builds the (uncompiled) model of a spec with seeded initial weights. */
export function buildModel(spec: ModelSpec, seed = 0): tf.Sequential {
  const init = seeds(seed);
  const out = outputWidth(spec);
  const model = tf.sequential();
  if (spec.kind === 'mlp') {
    checkPositive('the number of inputs', spec.inputs);
    (spec.hidden ?? [64, 32]).forEach((units, i) => {
      checkPositive('hidden units', units);
      model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: init.he(), ...(i === 0 ? { inputShape: [spec.inputs] } : {}) }));
    });
  } else if (spec.kind === 'sequence') {
    checkPositive('the number of periods', spec.periods);
    checkPositive('features per period', spec.features);
    const units = spec.units ?? 32;
    const inputShape = [spec.periods, spec.features];
    if (spec.cell === 'cnn') {
      model.add(new WindowConv1D({ inputShape, filters: units, kernelSize: Math.min(spec.kernelSize ?? 3, spec.periods), seed: init.seed() }));
      model.add(tf.layers.globalMaxPooling1d());
    } else {
      const rnn = spec.cell === 'gru' ? tf.layers.gru : tf.layers.lstm;
      model.add(rnn({ inputShape, units, kernelInitializer: init.glorot(), recurrentInitializer: init.glorot() }));
    }
  } else {
    checkPositive('the vocabulary size', spec.vocabularySize);
    checkPositive('the sequence length', spec.sequenceLength);
    const units = spec.units ?? 32;
    model.add(tf.layers.embedding({ inputDim: spec.vocabularySize, outputDim: spec.embeddingDim ?? 32, inputLength: spec.sequenceLength, embeddingsInitializer: init.uniform() }));
    if (spec.encoder === 'cnn') {
      model.add(new WindowConv1D({ filters: units, kernelSize: Math.min(spec.kernelSize ?? 3, spec.sequenceLength), seed: init.seed() }));
      model.add(tf.layers.globalMaxPooling1d());
    } else if (spec.encoder === 'bag') {
      model.add(tf.layers.globalAveragePooling1d());
    } else {
      model.add(tf.layers.gru({ units, kernelInitializer: init.glorot(), recurrentInitializer: init.glorot() }));
    }
    if (spec.dropout) {
      if (!(spec.dropout > 0 && spec.dropout < 1)) throw new AppError('invalid-argument', `dropout must be between 0 and 1; got ${spec.dropout}.`);
      model.add(tf.layers.dropout({ rate: spec.dropout, seed: init.seed() }));
    }
  }
  const activation = spec.task === 'binary' ? 'sigmoid' : spec.task === 'multiclass' ? 'softmax' : 'linear';
  model.add(tf.layers.dense({ units: out, activation, kernelInitializer: init.glorot() }));
  return model;
}
