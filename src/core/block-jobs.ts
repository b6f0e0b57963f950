import { serveHamerlyBlocks } from './mining/kmeans-pool';
import type { HamerlyMemory } from './mining/kmeans-hamerly-memory';
import type { LogisticMemory } from './models/logistic-blocks';
import { serveLogisticBlocks } from './models/logistic-rows';

/**
 * What a helper thread is sent for one run (see block-pool.ts): the run's kind and its shared
 * memory. One helper script serves every kind, so the mining and models workers start the same
 * helpers (workers/block-helper.worker.ts; tests/core/block-helper-thread.ts in Node).
 */
export type BlockJob = { kind: 'kmeans'; memory: HamerlyMemory } | { kind: 'logistic'; memory: LogisticMemory };

/** The helper side: serves the passes of the run in `job` until its caller closes it (blocks the thread meanwhile). */
export function serveBlockJob(job: BlockJob): void {
  if (job.kind === 'kmeans') serveHamerlyBlocks(job.memory);
  else serveLogisticBlocks(job.memory);
}
