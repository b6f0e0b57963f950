import { Worker } from 'node:worker_threads';
import type { KMeansHelpers } from '../../../src/core/mining/kmeans-pool';

/** `count` k-means helper threads on Node's worker_threads (TypeScript through tsx), started and ready. */
export async function startNodeHelpers(count: number): Promise<KMeansHelpers & { terminate(): Promise<void> }> {
  // The thread registers tsx itself, so it loads the TypeScript entry under Vitest and the bench alike.
  const entry = new URL('./kmeans-helper-thread.ts', import.meta.url).href;
  const boot = `require('tsx/esm/api').register(); import(${JSON.stringify(entry)});`;
  const threads = Array.from({ length: count }, () => new Worker(boot, { eval: true }));
  await Promise.all(threads.map((t) => new Promise<void>((resolve, reject) => {
    t.once('message', () => resolve());
    t.once('error', reject);
  })));
  return {
    size: count,
    post: (memory) => threads.forEach((t) => t.postMessage(memory)),
    terminate: async () => {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
