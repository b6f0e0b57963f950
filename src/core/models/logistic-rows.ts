import { CONTROL_SLOTS, serveBlocks, type BlockRunner } from '../block-pool';
import { blockRowsFor, PASS, partialStride, runLogisticBlock, type LogisticMemory, type RowSet } from './logistic-blocks';
import type { FeatureMatrix } from './matrix';

/**
 * The memory of a binary logistic fit (logistic-blocks.ts) and the passes the Newton solver asks
 * for, run by a {@link BlockRunner}: on this thread, or shared with helper threads.
 */

/** From this many rows the solver first fits every WARM_STRIDE-th row (see logistic-newton.ts). */
export const WARM_ROWS = 100_000;
const WARM_STRIDE = 8;

/** The row passes over one set of rows, as the Newton solver uses them. */
export interface RowPasses {
  n: number;
  /** The loss term Σᵢ (sᵢ/S)·logloss at θ, margins kept; with `g`, also its gradient, from the same pass. */
  loss(theta: Float64Array, g: Float64Array | null): number;
  /** The data term of the Hessian (p × p, row-major, both triangles) at the margins of the last loss pass. */
  hessian(out: Float64Array): void;
  /** The passes over this set's warm-start subsample, when it has one. */
  warm: RowPasses | null;
}

/** Share of non-zero values (sampled on up to 100,000 values). */
function density(data: Float64Array): number {
  const step = Math.max(1, Math.floor(data.length / 100_000));
  let nz = 0;
  let seen = 0;
  for (let i = 0; i < data.length; i += step, seen++) if (data[i] !== 0) nz++;
  return seen ? nz / seen : 1;
}

/**
 * Lays out the memory of a fit: the rows, their codes and weights, and room for the warm-start
 * subsamples (every 8th row, every 64th, … while a set has ≥ 100,000 rows), which
 * {@link logisticPasses} copies in; in SharedArrayBuffers when `shared` (rows, codes and weights
 * are then copied unless they already are in one). `weights` are the row weights sᵢ (undefined:
 * all 1) and `total` their sum.
 */
export function allocateLogistic(
  x: FeatureMatrix,
  codes: Int32Array,
  weights: Float64Array | undefined,
  total: number,
  fitIntercept: boolean,
  shared: boolean,
): LogisticMemory {
  const { d } = x;
  const p = d + 1;
  const alloc = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const inPlace = <T extends Float64Array | Int32Array>(a: T, make: (buffer: ArrayBufferLike) => T): T => {
    if (!shared || a.buffer instanceof SharedArrayBuffer) return a;
    const copy = make(alloc(a.byteLength));
    copy.set(a);
    return copy;
  };
  const dense = density(x.data) > 0.5;
  const set = (n: number, stride: number, scale: number, data: Float64Array, setCodes: Int32Array, w: Float64Array | null): RowSet => {
    const blockRows = blockRowsFor(n);
    const blocks = Math.ceil(n / blockRows);
    return {
      n, stride, blockRows, blocks, dense, data, codes: setCodes, weights: w, scale,
      margin: new Float64Array(alloc(8 * n)),
      partials: new Float64Array(alloc(8 * blocks * partialStride(p))),
    };
  };
  const rows = weights ? inPlace(weights, (buf) => new Float64Array(buf)) : null;
  const sets = [set(x.n, 1, 1 / total, inPlace(x.data, (buf) => new Float64Array(buf)), inPlace(codes, (buf) => new Int32Array(buf)), rows)];
  for (let stride = WARM_STRIDE; sets[sets.length - 1].n >= WARM_ROWS; stride *= WARM_STRIDE) {
    const m = Math.ceil(x.n / stride);
    let sum = m;
    if (weights) {
      sum = 0;
      for (let i = 0; i < x.n; i += stride) sum += weights[i];
    }
    sets.push(set(m, stride, 1 / sum, new Float64Array(alloc(8 * m * d)), new Int32Array(alloc(4 * m)), weights ? new Float64Array(alloc(8 * m)) : null));
  }
  return {
    d, fitIntercept, sets,
    params: new Float64Array(alloc(8 * (2 + p))),
    control: new Int32Array(alloc(4 * CONTROL_SLOTS)),
  };
}

/**
 * The passes over `memory`'s sets, each run by `runner` (this thread alone, or with helpers); first
 * copies the warm-start subsamples in (a pass too, so helpers share it).
 */
export function logisticPasses(memory: LogisticMemory, runner: BlockRunner): RowPasses {
  const { d, params } = memory;
  const p = d + 1;
  const stride = partialStride(p);
  const block = (b: number) => runLogisticBlock(memory, b);
  for (let index = 1; index < memory.sets.length; index++) {
    params[0] = PASS.gather;
    params[1] = index;
    runner.run(memory.sets[index].blocks, block);
  }
  const passes = (index: number): RowPasses => {
    const set = memory.sets[index];
    const { partials, blocks } = set;
    return {
      n: set.n,
      loss(theta, g) {
        params[0] = g ? PASS.lossGradient : PASS.loss;
        params[1] = index;
        params.set(theta, 2);
        runner.run(blocks, block);
        // Added up in block order: the same sums whichever thread ran which block.
        let f = 0;
        if (g) g.fill(0);
        for (let b = 0; b < blocks; b++) {
          const at = b * stride;
          f += partials[at];
          if (g) for (let j = 0; j < p; j++) g[j] += partials[at + 1 + j];
        }
        return f;
      },
      hessian(out) {
        params[0] = PASS.hessian;
        params[1] = index;
        runner.run(blocks, block);
        out.fill(0);
        for (let b = 0; b < blocks; b++) {
          const at = b * stride + 1 + p;
          for (let j = 0, t = 0; j < p; j++) for (let k = 0; k <= j; k++, t++) out[j * p + k] += partials[at + t];
        }
        for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) out[k * p + j] = out[j * p + k];
      },
      warm: index + 1 < memory.sets.length ? passes(index + 1) : null,
    };
  };
  return passes(0);
}

/**
 * The helper-thread side of `fitLogisticRegressionShared` (logistic.ts): serves the passes
 * of the fit whose memory was posted until the caller closes it (blocks the thread meanwhile).
 */
export function serveLogisticBlocks(memory: LogisticMemory): void {
  serveBlocks(memory.control, (b) => runLogisticBlock(memory, b));
}
