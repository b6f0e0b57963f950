import type { BlockJob } from '../block-jobs';
import { attachBlockHelpers, serveBlocks, type BlockHelpers, type BlockRunner } from '../block-pool';
import { hamerlyBlock } from './kmeans-hamerly-block';
import { hamerlyViews, type HamerlyMemory } from './kmeans-hamerly-memory';

/**
 * k-means on helper threads, through the shared block pool (src/core/block-pool.ts): the caller
 * posts the shared memory of a run to each helper, which then blocks in
 * {@link serveHamerlyBlocks}; every pass, the caller and the helpers take row blocks from a
 * shared counter until none is left. Each block writes only its own rows and partial sums, so
 * the run is the same to the last bit on any number of threads.
 */

/** The helper side: serves the Hamerly passes of the run in `memory` until the caller closes it. */
export function serveHamerlyBlocks(memory: HamerlyMemory): void {
  const v = hamerlyViews(memory);
  serveBlocks(v.control, (b) => hamerlyBlock(v, b));
}

/**
 * Hands the run in `memory` (SharedArrayBuffers, or a shared WebAssembly memory) to `helpers` and
 * resolves, once every helper holds it, to a runner that shares each pass with them; rejects with
 * AppError 'engine-timeout' when they do not pick it up within 5 s (the caller then runs alone).
 * Call `close()` when the run ends.
 */
export function attachHamerlyHelpers(helpers: BlockHelpers, memory: HamerlyMemory): Promise<BlockRunner & { close(): void }> {
  return attachBlockHelpers(helpers, { kind: 'kmeans', memory } satisfies BlockJob, new Int32Array(memory.control));
}
