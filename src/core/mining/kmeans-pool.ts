import { AppError } from '../errors';
import type { BlockRunner } from './kmeans-hamerly';
import { hamerlyBlock } from './kmeans-hamerly-block';
import { hamerlyViews, type HamerlyMemory, type HamerlyViews } from './kmeans-hamerly-memory';

/**
 * Helper threads for k-means: the caller (a worker, or Node's main thread) posts the shared
 * memory of a run to each helper, which then blocks in {@link serveHamerlyBlocks}; every pass,
 * the caller and the helpers take row blocks from a shared counter until none is left. Threads
 * meet only through Atomics on `memory.control` — no message per iteration.
 */
export interface KMeansHelpers {
  /** How many helper threads (the caller works as well). */
  readonly size: number;
  /** Posts the memory of a run to every helper (which answers by calling serveHamerlyBlocks). */
  post(memory: HamerlyMemory): void;
}

const GEN = 0;
const NEXT = 1;
const FINISHED = 2;
const STOP = 3;
const READY = 4;

/** How long the caller waits for helpers to pick up a run before it goes on alone (ms). */
const READY_TIMEOUT = 5000;

/**
 * The helper side: serves the passes of the run in `memory` until the caller closes it (call it
 * from the helper thread's message handler; it blocks that thread meanwhile, with Atomics.wait).
 */
export function serveHamerlyBlocks(memory: HamerlyMemory): void {
  const v = hamerlyViews(memory);
  const control = v.control;
  let seen = Atomics.load(control, GEN);
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    Atomics.wait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    if (Atomics.load(control, STOP) === 1) return;
    takeBlocks(v);
  }
}

function takeBlocks(v: HamerlyViews): void {
  const control = v.control;
  for (;;) {
    const b = Atomics.add(control, NEXT, 1);
    if (b >= v.blocks) return;
    hamerlyBlock(v, b);
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
}

/**
 * Hands the run in `memory` (SharedArrayBuffers) to `helpers` and resolves, once every helper
 * holds it, to a block runner that shares each pass with them. Asynchronous on purpose: in a
 * browser a worker blocked in Atomics.wait cannot pass messages to the workers it started. If
 * the helpers do not answer within 5 s, rejects with AppError 'engine-timeout' (the caller then
 * runs alone). Call `close()` when the run ends: it releases the helpers for the next run.
 */
export async function attachHelpers(helpers: KMeansHelpers, memory: HamerlyMemory): Promise<BlockRunner & { close(): void }> {
  const control = new Int32Array(memory.control);
  control.fill(0);
  helpers.post(memory);
  const deadline = Date.now() + READY_TIMEOUT;
  for (let ready = Atomics.load(control, READY); ready < helpers.size; ready = Atomics.load(control, READY)) {
    if (Date.now() > deadline) {
      close(control);
      throw new AppError('engine-timeout', `k-means: ${helpers.size - ready} of ${helpers.size} helper threads did not start; running on one thread.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return {
    run(v: HamerlyViews) {
      Atomics.store(control, NEXT, 0);
      Atomics.store(control, FINISHED, 0);
      Atomics.add(control, GEN, 1);
      Atomics.notify(control, GEN);
      takeBlocks(v);
      for (let f = Atomics.load(control, FINISHED); f < v.blocks; f = Atomics.load(control, FINISHED)) Atomics.wait(control, FINISHED, f);
    },
    close: () => close(control),
  };
}

function close(control: Int32Array): void {
  Atomics.store(control, STOP, 1);
  Atomics.add(control, GEN, 1);
  Atomics.notify(control, GEN);
}

/** Helper threads worth starting on a machine with `cores` logical cores: at most 4 threads in all, the caller included. */
export function helperCount(cores: number | undefined): number {
  return Math.max(0, Math.min(4, Math.floor(cores ?? 1)) - 1);
}
