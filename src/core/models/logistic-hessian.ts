import { expNonPositive } from './fast-exp';
import type { LogisticMemory, RowSet } from './logistic-blocks';

/**
 * The Hessian pass of the binary logistic Newton solver over one block of rows (logistic-blocks.ts):
 * Σᵢ sᵢ·pᵢ(1 − pᵢ)·xᵢxᵢᵀ (with the intercept's column of ones) at the margins of the last loss
 * pass, scaled by 1/Σs, into the block's packed lower triangle.
 */

/** Rows per sub-block of the dense kernel: their columns (a few KB each) stay in L1. */
const SUB = 256;

let scratchRow = new Float64Array(0);
let scratchCols = new Float64Array(0);
let scratchWeighted = new Float64Array(0);

/**
 * Block `b`'s Hessian partial sums, written at `set.partials[at …]`: the blocked dense kernel, or
 * the zero-skipping one for mostly-zero rows.
 */
export function hessianBlock(memory: LogisticMemory, set: RowSet, b: number, at: number): void {
  if (set.dense) denseHessianBlock(memory, set, b, at);
  else sparseHessianBlock(memory, set, b, at);
}

/** The Hessian weight hᵢ = sᵢ·pᵢ(1 − pᵢ) of row i at its margin (before the 1/Σs scaling). */
function hessianWeight(set: RowSet, i: number): number {
  const z = set.margin[i];
  const e = expNonPositive(-Math.abs(z));
  const prob = z >= 0 ? 1 / (1 + e) : e / (1 + e);
  return (set.weights === null ? 1 : set.weights[i]) * prob * (1 - prob);
}

/**
 * The Hessian's data term for block `b` of dense rows: each sub-block is copied column-major (with
 * the intercept's column of ones), so each entry is a contiguous dot product summed in registers,
 * four entries (a 2 × 2 tile of the lower triangle) per pass over the rows.
 */
function denseHessianBlock(memory: LogisticMemory, set: RowSet, b: number, at: number): void {
  const { d, fitIntercept } = memory;
  const { data, partials } = set;
  const p = d + 1;
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
  for (let k = 0; k < hessSize; k++) partials[at + k] *= set.scale;
}

/** The Hessian's data term for block `b` of mostly-zero rows (one-hot columns): zeros skipped, O(nnz²) a row. */
function sparseHessianBlock(memory: LogisticMemory, set: RowSet, b: number, at: number): void {
  const { d, fitIntercept } = memory;
  const { data, partials } = set;
  const p = d + 1;
  const hessSize = (p * (p + 1)) / 2;
  for (let k = 0; k < hessSize; k++) partials[at + k] = 0;
  if (scratchRow.length < p) scratchRow = new Float64Array(p);
  const row = scratchRow;
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
  for (let k = 0; k < hessSize; k++) partials[at + k] *= set.scale;
}
