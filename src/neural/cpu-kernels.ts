import * as tf from '@tensorflow/tfjs';

/**
 * A fast UnsortedSegmentSum for the pure-JS CPU backend, and the missing one for WASM. tfjs 4.22's CPU kernel builds one
 * equality mask over the whole input per segment (O(segments × rows × width)); the gradient of an
 * Embedding (a gather) is an UnsortedSegmentSum with one segment per vocabulary entry, so one
 * batch of a 5,000-word text model costs ~10⁹ operations there. This scatter-add is
 * O(rows × width) with TensorFlow's semantics (ids outside [0, numSegments) are dropped).
 * tfjs-backend-wasm 4.22 registers no UnsortedSegmentSum at all, so an Embedding cannot train
 * there; this kernel only needs `readSync` and a way to make an output from values.
 */

interface BackendLike {
  readSync(dataId: object): unknown;
  /** CPU backend. */
  makeTensorInfo?(shape: number[], dtype: string, values: unknown): tf.TensorInfo;
  /** WASM backend. */
  makeOutput?(shape: number[], dtype: string, memoryOffset?: number, values?: unknown): tf.TensorInfo;
}

function scatterAdd(args: { inputs: { x: tf.TensorInfo; segmentIds: tf.TensorInfo }; backend: unknown; attrs: { numSegments: number } }): tf.TensorInfo {
  const { inputs, attrs } = args;
  const backend = args.backend as BackendLike;
  const { x, segmentIds } = inputs;
  const xs = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  const tail = x.shape.slice(segmentIds.shape.length);
  const inner = tail.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(attrs.numSegments * inner) : new Float32Array(attrs.numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= attrs.numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) out[dst + k] += xs[src + k];
  }
  const shape = [attrs.numSegments, ...tail];
  return backend.makeTensorInfo ? backend.makeTensorInfo(shape, x.dtype, out) : backend.makeOutput!(shape, x.dtype, undefined, out);
}

let installed = false;

/**
 * Installs the scatter-add above as UnsortedSegmentSum of the CPU backend (replacing tfjs') and
 * of the WASM backend (which has none). Once per process; harmless to call again.
 */
export function installFastCpuKernels(): void {
  if (installed) return;
  installed = true;
  for (const backendName of ['cpu', 'wasm']) {
    if (tf.getKernel('UnsortedSegmentSum', backendName)) tf.unregisterKernel('UnsortedSegmentSum', backendName);
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: scatterAdd as unknown as tf.KernelFunc });
  }
}
