import * as tf from '@tensorflow/tfjs';
import { AppError } from '../core/errors';

/**
 * Saving and loading trained models without any network: the browser keeps them in IndexedDB
 * (tfjs' built-in `indexeddb://` handler), Node and tests in memory ({@link memoryModelStore}).
 * Remote URLs (`http(s)://`, `grpc://`…) are refused: customer models never leave the device.
 */

/** Where models go: `indexeddb://name`, or a tfjs IOHandler (e.g. a store's). */
export type ModelLocation = string | tf.io.IOHandler;

const ALLOWED = /^(indexeddb|localstorage):\/\//;

function checkLocation(location: ModelLocation): void {
  if (typeof location === 'string' && !ALLOWED.test(location)) {
    throw new AppError('network-blocked', `models are saved on this device only; "${location}" is not an indexeddb:// location.`);
  }
}

/** An in-memory model store: a tfjs IOHandler per name, the artifacts kept as plain objects. */
export interface MemoryModelStore {
  /** The handler that saves to and loads from `name`. */
  handler(name: string): tf.io.IOHandler;
  /** Names saved so far. */
  names(): string[];
}

/** A model store in memory, for Node and tests (models vanish with the process). */
export function memoryModelStore(): MemoryModelStore {
  const saved = new Map<string, tf.io.ModelArtifacts>();
  return {
    handler: (name) => ({
      save: async (artifacts) => {
        // Copy the weight bytes: the caller may reuse or transfer its buffer.
        const weightData = artifacts.weightData === undefined ? undefined : tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]).slice(0);
        saved.set(name, { ...artifacts, weightData });
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      },
      load: async () => {
        const a = saved.get(name);
        if (!a) throw new AppError('not-found', `no model named "${name}" was saved in this session.`);
        return a;
      },
    }),
    names: () => [...saved.keys()],
  };
}

/** Saves a model (topology, weights, and `metadata` such as the spec or vocabulary in `userDefinedMetadata`). */
export async function saveModel(model: tf.LayersModel, location: ModelLocation, metadata?: Record<string, unknown>): Promise<tf.io.SaveResult> {
  checkLocation(location);
  if (metadata) model.setUserDefinedMetadata(metadata);
  return model.save(location);
}

/** Loads a model saved by {@link saveModel}; its metadata is `model.getUserDefinedMetadata()`. */
export async function loadModel(location: ModelLocation): Promise<tf.LayersModel> {
  checkLocation(location);
  return tf.loadLayersModel(location);
}
