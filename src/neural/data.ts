import * as tf from '@tensorflow/tfjs';
import { logLoss, meanSquaredError } from '../core/models/metrics';
import { inputShape, outputWidth, type ModelSpec } from './models';

/**
 * Rows for a neural model: inputs row-major (n × the spec's input shape) and one target per row.
 * Feature matrices come from the shared preprocessing (core/models/preprocess.ts) as Float32;
 * token ids (src/neural/text.ts) as Int32.
 */
export interface NeuralData {
  /** Inputs, row-major: n × periods × features, n × inputs, or n × sequence length (token ids). */
  x: Float32Array | Int32Array;
  /** Targets: 0/1 (binary), class codes 0…K−1 (multiclass) or values (regression). */
  y: Float32Array;
  n: number;
}

/** Values per row of the inputs. */
export function rowWidth(data: NeuralData): number {
  return data.n > 0 ? data.x.length / data.n : 0;
}

/** The listed rows, in that order, as new arrays. */
export function takeRows(data: NeuralData, rows: ArrayLike<number>, width = rowWidth(data)): NeuralData {
  const x = data.x instanceof Int32Array ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
  const y = new Float32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x.set(data.x.subarray(i * width, (i + 1) * width), r * width);
    y[r] = data.y[i];
  }
  return { x, y, n: rows.length };
}

/**
 * The model's outputs for every row, batched so memory stays bounded: n × outputs row-major
 * (the probability of class 1 for binary, class probabilities for multiclass, values for
 * regression). Runs on the current backend; leaves no tensor behind.
 */
export async function predictRows(spec: ModelSpec, model: tf.LayersModel, x: Float32Array | Int32Array, n: number, batchSize = 256): Promise<Float32Array> {
  const shape = inputShape(spec);
  const width = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * outputWidth(spec));
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const slice = x.subarray(start * width, (start + m) * width);
    const y = tf.tidy(() => {
      const xs = slice instanceof Int32Array ? tf.tensor(slice, [m, ...shape], 'int32') : tf.tensor(slice, [m, ...shape], 'float32');
      return model.predict(xs) as tf.Tensor;
    });
    // An asynchronous read: a synchronous one stalls (or, in Chromium's WebGPU, breaks) GPU backends.
    try {
      out.set((await y.data()) as Float32Array, start * outputWidth(spec));
    } finally {
      y.dispose();
    }
  }
  return out;
}

/** Validation loss in the training loss's terms: log loss (natural log) or mean squared error. */
export async function evaluateLoss(spec: ModelSpec, model: tf.LayersModel, data: NeuralData): Promise<number> {
  return (await evaluateValidation(spec, model, data)).loss;
}

/** Validation figures: the loss (as {@link evaluateLoss}) and, for classification, accuracy (binary at 0.5; else the most probable class). */
export async function evaluateValidation(spec: ModelSpec, model: tf.LayersModel, data: NeuralData): Promise<{ loss: number; accuracy?: number }> {
  const out = await predictRows(spec, model, data.x, data.n);
  if (spec.task === 'regression') return { loss: meanSquaredError(data.y, out) };
  const K = spec.task === 'multiclass' ? outputWidth(spec) : 2;
  const proba = spec.task === 'multiclass' ? Float64Array.from(out) : new Float64Array(data.n * 2);
  if (spec.task === 'binary') {
    for (let i = 0; i < data.n; i++) {
      proba[2 * i] = 1 - out[i];
      proba[2 * i + 1] = out[i];
    }
  }
  let hits = 0;
  for (let i = 0; i < data.n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    if (spec.task === 'binary' ? (out[i] >= 0.5 ? 1 : 0) === data.y[i] : best === data.y[i]) hits++;
  }
  return { loss: logLoss(data.y, proba, K), accuracy: hits / data.n };
}
