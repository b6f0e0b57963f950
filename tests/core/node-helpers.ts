import { Worker } from 'node:worker_threads';
import type { BlockHelpers } from '../../src/core/block-pool';

/** `count` helper threads on Node's worker_threads (TypeScript through tsx), started and ready: they serve k-means and logistic runs alike. */
export async function startNodeHelpers(count: number): Promise<BlockHelpers & { terminate(): Promise<void> }> {
  // The thread registers tsx itself, so it loads the TypeScript entry under Vitest and the bench alike.
  const entry = new URL('./block-helper-thread.ts', import.meta.url).href;
  const boot = `require('tsx/esm/api').register(); import(${JSON.stringify(entry)});`;
  const threads = Array.from({ length: count }, () => new Worker(boot, { eval: true }));
  await Promise.all(threads.map((t) => new Promise<void>((resolve, reject) => {
    t.once('message', () => resolve());
    t.once('error', reject);
  })));
  return {
    size: count,
    post: (message) => threads.forEach((t) => t.postMessage(message)),
    terminate: async () => {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
