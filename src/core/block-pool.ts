import { AppError } from './errors';

/**
 * Row passes shared between the calling thread and helper threads over SharedArrayBuffers. Each
 * pass is cut into numbered blocks; the caller and the helpers take block numbers from a shared
 * counter until none is left, and each block writes only its own slot of partial results, which
 * the caller then adds up in block order — so a result never depends on how many threads ran,
 * nor on which thread ran which block. Threads meet only through Atomics on one small Int32
 * control array: no message per pass. A pass ends only when every helper has left it, so the
 * next pass (which may have another block count and other inputs) cannot be entered by a helper
 * still reading the last one. k-means (mining/kmeans-pool.ts) and logistic regression
 * (models/logistic-rows.ts) run their passes through it; block-jobs.ts says which a helper serves.
 */

/** Helper threads started by the caller; `post` sends a run's shared memory to each of them. */
export interface BlockHelpers {
  /** How many helper threads (the caller works as well). */
  readonly size: number;
  /** Posts `message` (holding typed arrays over SharedArrayBuffers) to every helper. */
  post(message: unknown): void;
}

/** Runs the blocks of one pass: on this thread alone, or shared with helpers. */
export interface BlockRunner {
  /** Threads that run each pass (1 for {@link inlineBlocks}). */
  readonly threads: number;
  /** Runs `block(0 … blocks−1)` once each and returns when all have finished. */
  run(blocks: number, block: (b: number) => void): void;
}

/** Slots of the Int32 control array. */
const GEN = 0;
const NEXT = 1;
/** Helpers that have left the current pass. */
const DONE = 2;
const STOP = 3;
const READY = 4;
const BLOCKS = 5;
/** Int32 slots a control array needs. */
export const CONTROL_SLOTS = 8;

/** How long the caller waits for helpers to pick up a run before it goes on alone (ms). */
const READY_TIMEOUT = 5000;
/** How long the caller waits for a helper to leave a pass before it gives the run up (ms). */
const PASS_TIMEOUT = 60_000;

/** The runner without helpers: every block on this thread, in order. */
export const inlineBlocks: BlockRunner = {
  threads: 1,
  run(blocks, block) {
    for (let b = 0; b < blocks; b++) block(b);
  },
};

/**
 * The helper side: serves the passes of one run until the caller closes it. Call it from the
 * helper thread's message handler with the run's control array and the block function over the
 * helper's own views of the shared memory; it blocks the thread (Atomics.wait) meanwhile.
 */
export function serveBlocks(control: Int32Array, block: (b: number) => void): void {
  let seen = Atomics.load(control, GEN);
  Atomics.add(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    // A run given up on (READY timed out) before this helper got to it is already closed.
    if (Atomics.load(control, STOP) === 1) return;
    Atomics.wait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    if (Atomics.load(control, STOP) === 1) return;
    takeBlocks(control, block);
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

function takeBlocks(control: Int32Array, block: (b: number) => void): void {
  const blocks = Atomics.load(control, BLOCKS);
  for (let b = Atomics.add(control, NEXT, 1); b < blocks; b = Atomics.add(control, NEXT, 1)) block(b);
}

/**
 * Posts `message` (a run's shared memory, with `control` among it) to `helpers` and resolves, once
 * every helper holds it, to a runner that shares each pass with them. Asynchronous on purpose: in
 * a browser a worker blocked in Atomics.wait cannot pass messages to the workers it started. If
 * the helpers do not answer within 5 s, rejects with AppError 'engine-timeout' (the caller then
 * runs alone, with the same result). Call `close()` when the run ends: it releases the helpers.
 */
export async function attachBlockHelpers(helpers: BlockHelpers, message: unknown, control: Int32Array): Promise<BlockRunner & { close(): void }> {
  control.fill(0);
  helpers.post(message);
  const deadline = Date.now() + READY_TIMEOUT;
  for (let ready = Atomics.load(control, READY); ready < helpers.size; ready = Atomics.load(control, READY)) {
    if (Date.now() > deadline) {
      close(control);
      throw new AppError('engine-timeout', `${helpers.size - ready} of ${helpers.size} helper threads did not start; running on one thread.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  let closed = false;
  const release = (): void => {
    closed = true;
    close(control);
  };
  return {
    threads: helpers.size + 1,
    run(blocks, block) {
      if (closed) throw new AppError('invalid-argument', 'this run has ended; its helper threads were released.');
      // Every helper is parked until GEN moves, so these stores race with nothing.
      Atomics.store(control, BLOCKS, blocks);
      Atomics.store(control, NEXT, 0);
      Atomics.store(control, DONE, 0);
      Atomics.add(control, GEN, 1);
      Atomics.notify(control, GEN);
      takeBlocks(control, block);
      const deadline = Date.now() + PASS_TIMEOUT;
      for (let done = Atomics.load(control, DONE); done < helpers.size; done = Atomics.load(control, DONE)) {
        if (Date.now() > deadline) {
          release();
          throw new AppError('engine-timeout', `a helper thread did not finish its share of a pass in ${PASS_TIMEOUT / 1000} s; run again.`);
        }
        Atomics.wait(control, DONE, done, 1000);
      }
    },
    close: release,
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
