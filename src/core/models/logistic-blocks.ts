/**
 * The row passes of the binary logistic Newton solver (logistic-newton.ts), cut into blocks of
 * rows whose size depends on the row count only. Each block writes its own slot of partial sums
 * (loss, gradient, packed Hessian), added up in block order by the caller, so the fit is the same
 * to the last bit whether one thread runs every block or helper threads share them
 * (block-pool.ts). The memory is plain ArrayBuffers for one thread, SharedArrayBuffers for a pool.
 */

/** One set of rows the solver passes over: the training rows, or a subsample of them for the warm start. */
export interface RowSet {
  n: number;
  /** Rows per block (see {@link blockRowsFor}) and the number of blocks. */
  blockRows: number;
  blocks: number;
  /** Share of non-zero features ≥ 0.5: the Hessian is then summed by the blocked dense kernel. */
  dense: boolean;
  /** n × d, row-major. */
  data: Float64Array;
  codes: Int32Array;
  /** Row weights sᵢ / Σs, or null when every row weighs `uniform` = 1 / n. */
  weights: Float64Array | null;
  uniform: number;
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

/** What a pass computes: margins and loss; the same with the gradient; the Hessian at the margins. */
export const PASS = { loss: 0, lossGradient: 1, hessian: 2 } as const;

/** Rows per block: a function of n only (about 64 blocks, at least 4,096 rows each). */
export function blockRowsFor(n: number): number {
  return Math.max(4096, Math.ceil(n / 64));
}

/** Numbers in one block's slot of partial sums: loss, p gradient entries, p(p+1)/2 Hessian entries. */
export function partialStride(p: number): number {
  return 1 + p + (p * (p + 1)) / 2;
}

/** Rows per sub-block: their columns (a few KB each) stay in L1 while the sums are formed. */
const SUB = 256;

let scratchR = new Float64Array(SUB);
let scratchCols = new Float64Array(0);
let scratchWeighted = new Float64Array(0);

/** Runs block `b` of the pass that `memory.params` describes (on whichever thread calls it). */
export function runLogisticBlock(memory: LogisticMemory, b: number): void {
  const mode = memory.params[0];
  const set = memory.sets[memory.params[1]];
  if (mode === PASS.hessian) {
    if (set.dense) denseHessianBlock(memory, set, b);
    else sparseHessianBlock(memory, set, b);
  } else lossBlock(memory, set, b, mode === PASS.lossGradient);
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
      const e = Math.exp(-Math.abs(z));
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
  const scale = weights === null ? set.uniform : 1;
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

/** The Hessian weight hᵢ = sᵢ·pᵢ(1 − pᵢ) of row i at its margin (before the 1/n of unweighted sets). */
function hessianWeight(set: RowSet, i: number): number {
  const z = set.margin[i];
  const e = Math.exp(-Math.abs(z));
  const prob = z >= 0 ? 1 / (1 + e) : e / (1 + e);
  return (set.weights === null ? 1 : set.weights[i]) * prob * (1 - prob);
}

/**
 * The Hessian's data term for block `b` of dense rows: each sub-block is copied column-major (with
 * the intercept's column of ones), so each entry is a contiguous dot product summed in registers,
 * four entries (a 2 × 2 tile of the lower triangle) per pass over the rows.
 */
function denseHessianBlock(memory: LogisticMemory, set: RowSet, b: number): void {
  const { d, fitIntercept } = memory;
  const { data, partials } = set;
  const p = d + 1;
  const at = b * partialStride(p) + 1 + p;
  const hessSize = (p * (p + 1)) / 2;
  if (scratchCols.length < p * SUB) {
    scratchCols = new Float64Array(p * SUB);
    scratchWeighted = new Float64Array(p * SUB);
  }
  const cols = scratchCols;
  const weighted = scratchWeighted;
  for (let k = 0; k < hessSize; k++) partials[at + k] = 0;
  const i0 = b * set.blockRows;
  const i1 = Math.min(set.n, i0 + set.blockRows);
  for (let s0 = i0; s0 < i1; s0 += SUB) {
    const rows = Math.min(SUB, i1 - s0);
    for (let ii = 0; ii < rows; ii++) {
      const h = hessianWeight(set, s0 + ii);
      const base = (s0 + ii) * d;
      for (let j = 0; j < d; j++) {
        const v = data[base + j];
        cols[j * SUB + ii] = v;
        weighted[j * SUB + ii] = h * v;
      }
      cols[d * SUB + ii] = fitIntercept ? 1 : 0;
      weighted[d * SUB + ii] = fitIntercept ? h : 0;
    }
    for (let j = 0; j < p; j += 2) {
      const j1 = Math.min(j + 1, p - 1);
      const cj = j * SUB;
      const cj1 = j1 * SUB;
      for (let k = 0; k <= j; k += 2) {
        const k1 = Math.min(k + 1, p - 1);
        const ck = k * SUB;
        const ck1 = k1 * SUB;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let ii = 0; ii < rows; ii++) {
          const a0 = weighted[cj + ii];
          const a1 = weighted[cj1 + ii];
          const b0 = cols[ck + ii];
          const b1 = cols[ck1 + ii];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
        const rowJ = at + (j * (j + 1)) / 2;
        partials[rowJ + k] += s00;
        if (k1 !== k && k1 <= j) partials[rowJ + k1] += s01;
        if (j1 !== j) {
          const rowJ1 = at + (j1 * (j1 + 1)) / 2;
          partials[rowJ1 + k] += s10;
          if (k1 !== k) partials[rowJ1 + k1] += s11;
        }
      }
    }
  }
  if (set.weights === null) for (let k = 0; k < hessSize; k++) partials[at + k] *= set.uniform;
}

/** The Hessian's data term for block `b` of mostly-zero rows (one-hot columns): zeros skipped, O(nnz²) a row. */
function sparseHessianBlock(memory: LogisticMemory, set: RowSet, b: number): void {
  const { d, fitIntercept } = memory;
  const { data, partials } = set;
  const p = d + 1;
  const at = b * partialStride(p) + 1 + p;
  const hessSize = (p * (p + 1)) / 2;
  for (let k = 0; k < hessSize; k++) partials[at + k] = 0;
  const row = scratchR.length >= p ? scratchR : (scratchR = new Float64Array(Math.max(SUB, p)));
  const i1 = Math.min(set.n, (b + 1) * set.blockRows);
  for (let i = b * set.blockRows; i < i1; i++) {
    const h = hessianWeight(set, i);
    for (let j = 0; j < d; j++) row[j] = data[i * d + j];
    row[d] = fitIntercept ? 1 : 0;
    for (let j = 0; j < p; j++) {
      const v = row[j];
      if (v === 0) continue;
      const hv = h * v;
      const rowJ = at + (j * (j + 1)) / 2;
      for (let k = 0; k <= j; k++) partials[rowJ + k] += hv * row[k];
    }
  }
  if (set.weights === null) for (let k = 0; k < hessSize; k++) partials[at + k] *= set.uniform;
}
