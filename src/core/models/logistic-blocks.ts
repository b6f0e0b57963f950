import { expNonPositive } from './fast-exp';
import { hessianBlock } from './logistic-hessian';

/**
 * The row passes of the binary logistic Newton solver (logistic-newton.ts), cut into blocks of
 * rows whose size depends on the row count only. Each block writes its own slot of partial sums
 * (loss, gradient, packed Hessian), added up in block order by the caller, so the fit is the same
 * to the last bit whether one thread runs every block or helper threads share them
 * (block-pool.ts). The memory is plain ArrayBuffers for one thread, SharedArrayBuffers for a pool.
 */

/**
 * One set of rows the solver passes over: the training rows (set 0), or the warm-start subsample
 * of every `stride`-th of them, copied from set 0 by a {@link PASS}.gather pass.
 */
export interface RowSet {
  n: number;
  /** Row i of this set is row i·stride of set 0. */
  stride: number;
  /** Rows per block (see {@link blockRowsFor}) and the number of blocks. */
  blockRows: number;
  blocks: number;
  /** Share of non-zero features ≥ 0.5: the Hessian is then summed by the blocked dense kernel. */
  dense: boolean;
  /** n × d, row-major. */
  data: Float64Array;
  codes: Int32Array;
  /** Row weights sᵢ, or null when all are 1. */
  weights: Float64Array | null;
  /** 1 / Σᵢ sᵢ: every sum over the rows is scaled by it (the objective is the weighted mean loss). */
  scale: number;
  /** The linear score w·x + b of each row at the θ of the last loss pass. */
  margin: Float64Array;
  /** `blocks` slots of {@link partialStride}(p) numbers: loss, gradient (p), packed lower Hessian. */
  partials: Float64Array;
}

/** Everything a pass reads and writes; posted as is (typed arrays over SharedArrayBuffers) to helper threads. */
export interface LogisticMemory {
  d: number;
  fitIntercept: boolean;
  /** The full rows first, then each warm-start subsample. */
  sets: RowSet[];
  /** [mode, set, θ₀ … θ_d]: what the next pass computes, and where. */
  params: Float64Array;
  /** Int32 control slots of block-pool.ts. */
  control: Int32Array;
}

/**
 * What a pass computes: margins and loss; the same with the gradient; the Hessian at the margins;
 * a subsample's rows copied from set 0.
 */
export const PASS = { loss: 0, lossGradient: 1, hessian: 2, gather: 3 } as const;

/** Rows per block: a function of n only (about 64 blocks, at least 4,096 rows each). */
export function blockRowsFor(n: number): number {
  return Math.max(4096, Math.ceil(n / 64));
}

/** Numbers in one block's slot of partial sums: loss, p gradient entries, p(p+1)/2 Hessian entries. */
export function partialStride(p: number): number {
  return 1 + p + (p * (p + 1)) / 2;
}

/** Rows per sub-block: still in cache (40 KB at 20 features) when addGradient reads them again. */
const SUB = 256;

const scratchR = new Float64Array(SUB);

/** Runs block `b` of the pass that `memory.params` describes (on whichever thread calls it). */
export function runLogisticBlock(memory: LogisticMemory, b: number): void {
  const mode = memory.params[0];
  const set = memory.sets[memory.params[1]];
  if (mode === PASS.hessian) hessianBlock(memory, set, b, b * partialStride(memory.d + 1) + 2 + memory.d);
  else if (mode === PASS.gather) gatherBlock(memory, set, b);
  else lossBlock(memory, set, b, mode === PASS.lossGradient);
}

/** Copies block `b` of a subsample's rows (data, code, weight) from set 0. */
function gatherBlock(memory: LogisticMemory, set: RowSet, b: number): void {
  const { d } = memory;
  const from = memory.sets[0];
  const i1 = Math.min(set.n, (b + 1) * set.blockRows);
  for (let i = b * set.blockRows; i < i1; i++) {
    const src = i * set.stride;
    // TypedArray.set is a memory copy: three times faster than an element loop here.
    set.data.set(from.data.subarray(src * d, src * d + d), i * d);
    set.codes[i] = from.codes[src];
    if (set.weights && from.weights) set.weights[i] = from.weights[src];
  }
}

/**
 * Margins, loss and (when `withGradient`) the gradient's data term for block `b`. Unweighted, the
 * Σ log(1 + e^−|z|) of a sub-block is taken as the log of one product (each factor is in (1, 2],
 * so 256 of them cannot overflow): one logarithm per 256 rows instead of one per row.
 */
function lossBlock(memory: LogisticMemory, set: RowSet, b: number, withGradient: boolean): void {
  const { d, fitIntercept, params } = memory;
  const { data, codes, weights, margin, partials } = set;
  const p = d + 1;
  const out = b * partialStride(p);
  const i0 = b * set.blockRows;
  const i1 = Math.min(set.n, i0 + set.blockRows);
  const bias = fitIntercept ? params[2 + d] : 0;
  const d4 = d - (d % 4);
  const r = scratchR;
  for (let j = 0; j <= p; j++) partials[out + j] = 0;
  let loss = 0;
  let gb = 0;
  for (let s0 = i0; s0 < i1; s0 += SUB) {
    const rows = Math.min(SUB, i1 - s0);
    let product = 1;
    let linear = 0;
    for (let ii = 0, base = s0 * d; ii < rows; ii++, base += d) {
      const i = s0 + ii;
      // Four sums: the adds of one dot product would otherwise wait on each other.
      let z0 = 0;
      let z1 = 0;
      let z2 = 0;
      let z3 = 0;
      let j = 0;
      for (; j < d4; j += 4) {
        z0 += data[base + j] * params[2 + j];
        z1 += data[base + j + 1] * params[3 + j];
        z2 += data[base + j + 2] * params[4 + j];
        z3 += data[base + j + 3] * params[5 + j];
      }
      for (; j < d; j++) z0 += data[base + j] * params[2 + j];
      const z = bias + (z0 + z1 + (z2 + z3));
      margin[i] = z;
      const e = expNonPositive(-Math.abs(z));
      const y = codes[i];
      const prob = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      if (weights === null) {
        linear += (z > 0 ? z : 0) - y * z;
        product *= 1 + e;
        r[ii] = prob - y;
      } else {
        const w = weights[i];
        linear += w * ((z > 0 ? z : 0) + Math.log1p(e) - y * z);
        r[ii] = w * (prob - y);
      }
      gb += r[ii];
    }
    loss += linear + Math.log(product);
    if (withGradient) addGradient(data, d, s0, rows, r, partials, out + 1);
  }
  const scale = set.scale;
  partials[out] = scale * loss;
  if (withGradient) {
    for (let j = 0; j < d; j++) partials[out + 1 + j] *= scale;
    partials[out + 1 + d] = fitIntercept ? scale * gb : 0;
  }
}

/** g[j] += Σ r[ii]·x[s0 + ii, j] for one sub-block, four columns at a time (sums kept in registers). */
function addGradient(data: Float64Array, d: number, s0: number, rows: number, r: Float64Array, g: Float64Array, at: number): void {
  const d4 = d - (d % 4);
  let j = 0;
  for (; j < d4; j += 4) {
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    for (let ii = 0, base = s0 * d + j; ii < rows; ii++, base += d) {
      const ri = r[ii];
      g0 += ri * data[base];
      g1 += ri * data[base + 1];
      g2 += ri * data[base + 2];
      g3 += ri * data[base + 3];
    }
    g[at + j] += g0;
    g[at + j + 1] += g1;
    g[at + j + 2] += g2;
    g[at + j + 3] += g3;
  }
  for (; j < d; j++) {
    let g0 = 0;
    for (let ii = 0, base = s0 * d + j; ii < rows; ii++, base += d) g0 += r[ii] * data[base];
    g[at + j] += g0;
  }
}

