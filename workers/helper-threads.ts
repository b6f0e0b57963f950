import { helperCount, type BlockHelpers } from '../src/core/block-pool';

/**
 * The helper threads of a worker (workers/block-helper.worker.ts), started once on first need by
 * the function this returns: one fewer than the logical cores, at most 3, and none unless the page
 * is cross-origin isolated (SharedArrayBuffer). Helpers that do not say they started within 5 s
 * are given up on: the work then runs on the calling thread alone, with the same result. `start`
 * makes one thread (`new Worker(new URL(…, import.meta.url))` written out, so Vite bundles it).
 */
export function helperThreads(start: () => Worker): () => Promise<BlockHelpers | undefined> {
  let pool: Promise<BlockHelpers | undefined> | null = null;
  return () => {
    if (typeof Worker === 'undefined' || typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) return Promise.resolve(undefined);
    const count = helperCount(globalThis.navigator?.hardwareConcurrency);
    if (count === 0) return Promise.resolve(undefined);
    pool ??= new Promise((resolve) => {
      const threads = Array.from({ length: count }, start);
      const timer = setTimeout(() => {
        threads.forEach((t) => t.terminate());
        resolve(undefined);
      }, 5000);
      let started = 0;
      for (const t of threads) {
        t.addEventListener('message', () => {
          if (++started < count) return;
          clearTimeout(timer);
          resolve({ size: count, post: (message) => threads.forEach((h) => h.postMessage(message)) });
        }, { once: true });
      }
    });
    return pool;
  };
}
