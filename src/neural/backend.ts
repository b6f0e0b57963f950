import * as tf from '@tensorflow/tfjs';
import { AppError, errorMessage } from '../core/errors';

/**
 * Which tfjs backend runs the models: WebGPU on a real adapter, else WebGL, else WASM, else the
 * pure-JS CPU backend. A software WebGPU adapter (SwiftShader, Chromium's fallback when there is
 * no usable GPU) is refused by default: it is correct but about 10× slower than the CPU backend
 * on small models. An explicit override forces a backend anyway (tests, the UI's picker).
 */

/** The backends Clientele knows, fastest first. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** The default order of preference. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What a WebGPU adapter says about itself (`GPUAdapterInfo`, plus the fallback flag). */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a software (fallback) adapter; `GPUAdapterInfo.isFallbackAdapter` or the older `GPUAdapter.isFallbackAdapter`. */
  isFallbackAdapter: boolean;
}

/** The backend in use and why the ones before it were not. */
export interface BackendReport {
  backend: BackendName;
  /** The WebGPU adapter seen, when there was one (also when it was refused). */
  adapter?: AdapterSummary;
  /** Backends passed over, in order, each with its reason. */
  skipped: { backend: BackendName; reason: string }[];
  /** True when the caller forced the backend. */
  overridden: boolean;
}

/**
 * Registers a backend that is not built into @tensorflow/tfjs (webgpu, wasm) before it is set;
 * the browser's loaders live in backend-loaders.ts (they import wasm files with Vite's `?url`).
 */
export type BackendLoaders = Partial<Record<BackendName, () => Promise<void>>>;

// Chromium reports SwiftShader as vendor "google", architecture "swiftshader"; Mesa's llvmpipe
// and Microsoft's WARP are the other software rasterizers a browser may offer.
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|warp|basic render/i;

/** Why an adapter is a software one, or undefined for a real GPU. */
export function softwareAdapterReason(info: AdapterSummary): string | undefined {
  if (info.isFallbackAdapter) return 'the adapter is a fallback (software) adapter';
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  if (SOFTWARE.test(text)) return `the adapter is a software renderer (${text.trim().replace(/\s+/g, ' ')})`;
  if (info.vendor.toLowerCase() === 'google' && !info.architecture) return 'the adapter is Google\'s software renderer (vendor "google")';
  return undefined;
}

/** Why the running WebGL backend's renderer is a software one (SwiftShader, llvmpipe), or undefined. */
function softwareWebGlReason(): string | undefined {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
    return SOFTWARE.test(renderer) ? `WebGL runs on a software renderer (${renderer})` : undefined;
  } catch {
    return undefined;
  }
}

/** Minimal view of `navigator.gpu` (typed loosely: the DOM lib's WebGPU types are not assumed). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: Partial<AdapterSummary>;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<Partial<AdapterSummary>>;
}

/** Asks the WebGPU API for its adapter and describes it; undefined when there is no WebGPU or no adapter. */
export async function describeWebGpuAdapter(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<AdapterSummary | undefined> {
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return undefined;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
}

/** Options of {@link chooseBackend}. */
export interface ChooseBackendOptions {
  /** Use this backend even if it would be refused (a software WebGPU adapter included). */
  override?: BackendName;
  /** Order of preference (default {@link BACKEND_ORDER}). */
  order?: readonly BackendName[];
  /** Registers webgpu/wasm before they are tried. */
  loaders?: BackendLoaders;
  /** The WebGPU entry point (default `navigator.gpu`); tests pass a stand-in. */
  gpu?: GpuLike;
}

/**
 * Picks and sets the tfjs backend: the override when given (failing loudly if it cannot start),
 * else the first of the order that starts, refusing a software WebGPU adapter or WebGL renderer. Returns what runs
 * and why the others were skipped.
 */
export async function chooseBackend(options: ChooseBackendOptions = {}): Promise<BackendReport> {
  const { override, order = BACKEND_ORDER, loaders = {} } = options;
  const gpu = 'gpu' in options ? options.gpu : (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  const skipped: BackendReport['skipped'] = [];
  let adapter: AdapterSummary | undefined;
  const start = async (name: BackendName): Promise<string | undefined> => {
    try {
      await loaders[name]?.();
      if (!tf.findBackendFactory(name)) return `the ${name} backend is not available here`;
      return (await tf.setBackend(name)) ? undefined : `the ${name} backend failed to start`;
    } catch (err) {
      return `the ${name} backend failed to start: ${errorMessage(err)}`;
    }
  };
  if (override) {
    if (override === 'webgpu') adapter = await describeWebGpuAdapter(gpu).catch(() => undefined);
    const failure = await start(override);
    if (failure) throw new AppError('invalid-argument', `${failure}; choose another backend.`);
    return { backend: override, adapter, skipped, overridden: true };
  }
  for (const name of order) {
    if (name === 'webgpu') {
      adapter = await describeWebGpuAdapter(gpu).catch(() => undefined);
      const refusal = !gpu ? 'this browser has no WebGPU' : !adapter ? 'no WebGPU adapter was offered' : softwareAdapterReason(adapter);
      if (refusal) {
        skipped.push({ backend: name, reason: refusal });
        continue;
      }
    }
    const failure = (await start(name)) ?? (name === 'webgl' ? softwareWebGlReason() : undefined);
    if (!failure) return { backend: name, adapter, skipped, overridden: false };
    skipped.push({ backend: name, reason: failure });
  }
  throw new AppError('engine-crashed', `no tfjs backend could start (${skipped.map((s) => s.reason).join('; ')}).`);
}
