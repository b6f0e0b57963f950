import * as tf from '@tensorflow/tfjs';

/**
 * Weights copied out of the backend into plain typed arrays: what the training loop keeps after
 * every epoch (to resume on another backend) and at the best validation loss (to restore it).
 * Holding no tensors, a snapshot survives the backend that made it.
 */
export interface WeightSnapshot {
  values: Float32Array[];
  shapes: number[][];
}

/** Model weights and optimizer state at the end of an epoch. */
export interface TrainingSnapshot {
  /** Epochs completed (1-based count). */
  epoch: number;
  model: WeightSnapshot;
  /** Optimizer state (Adam: step count, first and second moments), in `getWeights` order. */
  optimizer: WeightSnapshot & { names: string[] };
}

/** Copies a model's weights out of the backend. */
export async function snapshotModel(model: tf.LayersModel): Promise<WeightSnapshot> {
  const weights = model.getWeights();
  // data() copies out of the backend asynchronously (the only fast way on GPU backends).
  return { values: (await Promise.all(weights.map((w) => w.data()))).map((v) => Float32Array.from(v)), shapes: weights.map((w) => w.shape.slice()) };
}

/** Writes a snapshot back into a model built from the same spec (on any backend). */
export function restoreModel(model: tf.LayersModel, snap: WeightSnapshot): void {
  const tensors = snap.values.map((v, i) => tf.tensor(v, snap.shapes[i], 'float32'));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/** Copies an optimizer's state out of the backend (its step count included). */
export async function snapshotOptimizer(optimizer: tf.Optimizer): Promise<TrainingSnapshot['optimizer']> {
  const named = await optimizer.getWeights();
  const out = { names: named.map((w) => w.name), values: (await Promise.all(named.map((w) => w.tensor.data()))).map((v) => Float32Array.from(v)), shapes: named.map((w) => w.tensor.shape.slice()) };
  // getWeights returns the live variables except the step count, a fresh scalar.
  tf.dispose(named.filter((w) => w.name === 'iter').map((w) => w.tensor));
  return out;
}

/** Restores an optimizer's state from a snapshot (on any backend). */
export async function restoreOptimizer(optimizer: tf.Optimizer, snap: TrainingSnapshot['optimizer']): Promise<void> {
  if (snap.values.length === 0) return;
  const named = snap.values.map((v, i) => ({ name: snap.names[i], tensor: tf.tensor(v, snap.shapes[i], 'float32') }));
  try {
    await optimizer.setWeights(named);
  } finally {
    tf.dispose(named.map((w) => w.tensor));
  }
}
