import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendLoaders } from './backend';

/**
 * Browser registration of the backends that are not part of @tensorflow/tfjs. The WASM binaries
 * are emitted by Vite as files of this app (`?url`) and served from its own origin; no CDN is
 * ever asked, and the threaded build is not used. The WebGPU backend registers itself on
 * import when `navigator.gpu` exists.
 */
export const browserBackendLoaders: BackendLoaders = {
  webgpu: async () => {
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  wasm: async () => {
    // The threaded build starts its pthreads from blob: URLs, which the app's CSP refuses (and
    // a failing nested worker takes the neural worker down): single-threaded SIMD only.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    // setWasmPaths insists on an entry for every binary, the unused threaded one included.
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
  },
};
