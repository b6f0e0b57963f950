import { encodeModule, F64, FunctionBody, I32, Op, Simd, simdSupported, V128 } from '../wasm/emit';
import { P, type HamerlyLayout } from './kmeans-hamerly-memory';

const { mode: P_MODE, most: P_MOST, mostAt: P_MOST_AT, second: P_SECOND, maxNorm: P_MAX_NORM, sink: P_SINK, tighten: P_TIGHTEN } = P;

/**
 * The Hamerly block pass of kmeans-hamerly-block.ts as a WebAssembly SIMD kernel, generated for
 * one run: d, k and every buffer offset are constants, and the distance loops are unrolled. Each
 * f64x2 lane scores one centre with exactly the scalar code's operations in the same order
 * (‖c‖² + Σⱼ xⱼ·(−2cⱼ), multiply then add, no fused multiply-add), the nearest centre is the
 * first minimum as there, and a row that changes cluster moves between the block's partial sums
 * in the same order: labels, sums, centres and inertia are the TypeScript's to the last bit, so
 * threads with and without the kernel can even share a run. The bound test differs (branch-free,
 * no tightening): it only decides which rows are measured. About 4× the TypeScript's speed on a
 * full pass in V8 (1M × 8, k = 8: 16 ms against 75 ms).
 */

/** Largest k × d the kernel is generated for (its code grows with k·d: ≈ 20 bytes each). */
export const KERNEL_MAX_KD = 4096;

/** Whether a k-means run of this shape gets the WebAssembly kernel. */
export function kernelFits(d: number, k: number): boolean {
  return k * d <= KERNEL_MAX_KD && simdSupported();
}

/** Bytes of a module exporting `block(b)`: the Hamerly pass of row block b over `layout`, in a memory of `pages` pages. */
export function hamerlyKernel(layout: HamerlyLayout, pages: number, shared: boolean): Uint8Array<ArrayBuffer> {
  return encodeModule({ pages, shared }, { block: blockFunction(layout) });
}

function blockFunction(L: HamerlyLayout): FunctionBody {
  const { n, d, k, blockRows } = L;
  const pairs = Math.ceil(k / 2);
  const f = new FunctionBody([I32], []);
  const b = 0;
  const from = f.local(I32);
  const to = f.local(I32);
  const i = f.local(I32);
  const at = f.local(I32);
  const pos = f.local(I32);
  const count = f.local(I32);
  const changed = f.local(I32);
  const own = f.local(I32);
  const rowAt = f.local(I32);
  const best = f.local(I32);
  const old = f.local(I32);
  const mostAt = f.local(I32);
  const lt = f.local(I32);
  const sumsAt = f.local(I32);
  const countsAt = f.local(I32);
  const u = f.local(F64);
  const l = f.local(F64);
  const bound = f.local(F64);
  const most = f.local(F64);
  const second = f.local(F64);
  const a = f.local(F64);
  const top = f.local(F64);
  const runnerUp = f.local(F64);
  const xx = f.local(F64);
  const pad = f.local(F64);
  const pad0 = f.local(F64);
  const sink = f.local(F64);
  const end = f.local(I32);
  const kept = f.local(I32);
  const first = f.local(I32);
  const tight = f.local(I32);
  const x = Array.from({ length: d }, () => f.local(V128));
  const acc = Array.from({ length: pairs }, () => f.local(V128));
  const topv = f.local(V128);
  const mask = f.local(V128);
  // from = b·R, to = min(n, from + R); per-block bases of the partial sums and counts.
  f.get(b).i32(blockRows).op(Op.i32Mul).tee(from).i32(blockRows).op(Op.i32Add).set(to);
  f.i32(n).get(to).get(to).i32(n).op(Op.i32GeS).op(Op.select).set(to);
  f.get(b).i32(8 * k * d).op(Op.i32Mul).set(sumsAt);
  f.get(b).i32(8 * k).op(Op.i32Mul).set(countsAt);
  f.i32(0).mem(Op.f64Load, 3, L.params + 8 * P_MAX_NORM).f64(1e-12).op(Op.f64Mul).set(pad0);

  /** Scores row `i` against every centre and updates its bounds, label and the block's sums. */
  const scanRow = () => {
    f.get(i).i32(8 * d).op(Op.i32Mul).set(rowAt);
    for (let j = 0; j < d; j++) f.get(rowAt).mem(Simd.load64Splat, 3, L.data + 8 * j, true).set(x[j]);
    for (let p = 0; p < pairs; p++) {
      f.i32(0).mem(Simd.load, 4, L.pairNorms + 16 * p, true);
      for (let j = 0; j < d; j++) {
        f.get(x[j]).i32(0).mem(Simd.load, 4, L.pairs + 16 * (p * d + j), true).simd(Simd.f64x2Mul).simd(Simd.f64x2Add);
      }
      f.set(acc[p]);
    }
    if (k <= VECTOR_ARGMIN_K) vectorArgmin(f, acc, { top, runnerUp, best, topv, mask });
    else scalarArgmin(f, k, acc, { top, runnerUp, best, a, lt });
    f.get(i).i32(8).op(Op.i32Mul).set(at); // byte offset of row i in the per-row f64 arrays
    f.get(at).mem(Op.f64Load, 3, L.rowNorms).tee(xx).f64(1e-12).op(Op.f64Mul).get(pad0).op(Op.f64Add).set(pad);
    f.get(at).f64(0).get(xx).get(top).op(Op.f64Add).op(Op.f64Max).get(pad).op(Op.f64Add).op(Op.f64Sqrt).mem(Op.f64Store, 3, L.upper);
    f.get(at).f64(0).get(xx).get(runnerUp).op(Op.f64Add).get(pad).op(Op.f64Sub).op(Op.f64Max).op(Op.f64Sqrt).mem(Op.f64Store, 3, L.lower);
    f.get(i).i32(4).op(Op.i32Mul).tee(at).mem(Op.i32Load, 2, L.labels).tee(old).get(best).op(Op.i32Ne).open(Op.if);
    {
      f.get(at).get(best).mem(Op.i32Store, 2, L.labels);
      f.get(changed).i32(1).op(Op.i32Add).set(changed);
      addTo(f, countsAt, best, 8, L.blockCounts, () => f.f64(1), Op.f64Add);
      f.get(old).i32(0).op(Op.i32LtS).open(Op.if);
      for (let j = 0; j < d; j++) addTo(f, sumsAt, best, 8 * d, L.blockSums + 8 * j, () => f.get(rowAt).mem(Op.f64Load, 3, L.data + 8 * j), Op.f64Add);
      f.op(Op.else);
      addTo(f, countsAt, old, 8, L.blockCounts, () => f.f64(1), Op.f64Sub);
      for (let j = 0; j < d; j++) {
        addTo(f, sumsAt, old, 8 * d, L.blockSums + 8 * j, () => f.get(rowAt).mem(Op.f64Load, 3, L.data + 8 * j), Op.f64Sub);
        addTo(f, sumsAt, best, 8 * d, L.blockSums + 8 * j, () => f.get(rowAt).mem(Op.f64Load, 3, L.data + 8 * j), Op.f64Add);
      }
      f.end();
    }
    f.end();
  };

  f.i32(0).mem(Op.f64Load, 3, L.params + 8 * P_MODE).f64(0).op(Op.f64Eq).open(Op.if);
  {
    // Mode 0 (first pass): every row of the block.
    f.get(b).i32(4).op(Op.i32Mul).get(to).get(from).op(Op.i32Sub).mem(Op.i32Store, 2, L.blockPending);
    f.get(from).set(i);
    loop(f, () => f.get(i).get(to).op(Op.i32GeS), () => {
      scanRow();
      f.get(i).i32(1).op(Op.i32Add).set(i);
    });
  }
  f.op(Op.else);
  {
    // Mode 1: loosen the bounds by the last moves and list the rows they no longer settle; when
    // tightening, measure each listed row's own centre and keep it only if that fails too; scan
    // the rows kept. Row by row the same decisions as checkBounds() in kmeans-hamerly-block.ts.
    checkBounds(f, L, { from, to, i, count, own, rowAt, mostAt, u, l, bound, a }, most, second);
    // The listed rows are scattered: measured one by one, each waits for its own cache miss (about
    // 3× the cost of a row in a full pass). So the list is taken in chunks, and a first, tiny loop
    // touches every cache line of the chunk's rows, letting the misses overlap.
    const lines = Math.min(4, Math.ceil(d / 8));
    const listed = (at: number) => f.get(from).get(at).op(Op.i32Add).i32(4).op(Op.i32Mul);
    f.i32(0).set(pos).i32(0).set(kept);
    f.i32(0).mem(Op.f64Load, 3, L.params + 8 * P_TIGHTEN).f64(1).op(Op.f64Eq).set(tight);
    loop(f, () => f.get(pos).get(count).op(Op.i32GeS), () => {
      f.get(count).get(pos).i32(CHUNK).op(Op.i32Add).tee(end).get(end).get(count).op(Op.i32GeS).op(Op.select).set(end);
      f.get(pos).set(at);
      loop(f, () => f.get(at).get(end).op(Op.i32GeS), () => {
        listed(at).mem(Op.i32Load, 2, L.pending).i32(8 * d).op(Op.i32Mul).set(rowAt);
        for (let line = 0; line < lines; line++) f.get(sink).get(rowAt).mem(Op.f64Load, 3, L.data + 64 * line).op(Op.f64Add).set(sink);
        f.get(at).i32(1).op(Op.i32Add).set(at);
      });
      f.get(kept).set(first);
      f.get(tight).open(Op.if);
      {
        // Tighten: upper = ‖x − c_own‖ summed from 0 in feature order; listed again (compacted in
        // place, never past the row being read) only when it exceeds max(half gap, lower bound).
        f.get(pos).set(at);
        loop(f, () => f.get(at).get(end).op(Op.i32GeS), () => {
          listed(at).mem(Op.i32Load, 2, L.pending).tee(i).i32(4).op(Op.i32Mul).mem(Op.i32Load, 2, L.labels).set(own);
          f.get(i).i32(8).op(Op.i32Mul).mem(Op.f64Load, 3, L.lower).set(l);
          f.get(own).i32(8).op(Op.i32Mul).mem(Op.f64Load, 3, L.half).tee(a).get(l).get(a).get(l).op(Op.f64Gt).op(Op.select).set(bound);
          f.f64(0).set(u);
          for (let j = 0; j < d; j++) {
            f.get(i).i32(8 * d).op(Op.i32Mul).mem(Op.f64Load, 3, L.data + 8 * j);
            f.get(own).i32(8 * d).op(Op.i32Mul).mem(Op.f64Load, 3, L.centers + 8 * j);
            f.op(Op.f64Sub).tee(a).get(a).op(Op.f64Mul).get(u).op(Op.f64Add).set(u);
          }
          f.get(i).i32(8).op(Op.i32Mul).get(u).op(Op.f64Sqrt).tee(u).mem(Op.f64Store, 3, L.upper);
          listed(kept).get(i).mem(Op.i32Store, 2, L.pending);
          f.get(kept).get(u).get(bound).op(Op.f64Gt).op(Op.i32Add).set(kept);
          f.get(at).i32(1).op(Op.i32Add).set(at);
        });
      }
      f.op(Op.else);
      f.get(end).set(kept);
      f.end();
      loop(f, () => f.get(first).get(kept).op(Op.i32GeS), () => {
        listed(first).mem(Op.i32Load, 2, L.pending).set(i);
        scanRow();
        f.get(first).i32(1).op(Op.i32Add).set(first);
      });
      f.get(end).set(pos);
    });
    f.get(b).i32(4).op(Op.i32Mul).get(kept).mem(Op.i32Store, 2, L.blockPending);
    // Kept, so that the touching loads are not optimized away.
    f.i32(0).get(sink).mem(Op.f64Store, 3, L.params + 8 * P_SINK);
  }
  f.end();
  f.get(b).i32(4).op(Op.i32Mul).get(changed).mem(Op.i32Store, 2, L.blockChanged);
  return f;
}

/** Listed rows per chunk of the measuring loop (their data, 64 KB at d = 64, stays in cache). */
const CHUNK = 128;

/** Largest k whose nearest-centre choice is made with vector instructions (its lane mask is an i32). */
const VECTOR_ARGMIN_K = 32;

/** Swaps the two f64 lanes of a v128. */
const SWAP = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * Nearest and second-nearest centre without branches: `top` = the least score, `best` = the first
 * centre scoring it, `runnerUp` = the least score of the other centres. That is exactly what the
 * TypeScript's running comparison (strict <, first minimum kept) ends with, for any finite scores
 * (the pad lane of an odd k scores +∞ and is never first).
 */
function vectorArgmin(f: FunctionBody, acc: number[], v: { top: number; runnerUp: number; best: number; topv: number; mask: number }): void {
  const minAll = (lane: (p: number) => void) => {
    lane(0);
    for (let p = 1; p < acc.length; p++) {
      lane(p);
      f.simd(Simd.f64x2Pmin);
    }
    f.tee(v.mask).get(v.mask).get(v.mask).shuffle(SWAP).simd(Simd.f64x2Pmin);
  };
  minAll((p) => f.get(acc[p]));
  f.tee(v.topv).lane(Simd.f64x2ExtractLane, 0).set(v.top);
  // best = index of the first lane equal to the minimum (two bits a pair, lowest first)
  for (let p = 0; p < acc.length; p++) {
    f.get(acc[p]).get(v.topv).simd(Simd.f64x2Eq).simd(Simd.i64x2Bitmask);
    if (p > 0) f.i32(2 * p).op(Op.i32Shl).op(Op.i32Or);
  }
  f.op(Op.i32Ctz).set(v.best);
  // runnerUp = the minimum with lane `best` set to +∞
  f.get(v.best).op(Op.i64ExtendI32S).simd(Simd.i64x2Splat).set(v.topv);
  minAll((p) => {
    f.v128([Infinity, Infinity], 'f64').get(acc[p]);
    f.v128([2 * p, 2 * p + 1], 'i64').get(v.topv).simd(Simd.i64x2Eq).simd(Simd.bitselect);
  });
  f.lane(Simd.f64x2ExtractLane, 0).set(v.runnerUp);
}

/** The TypeScript's running comparison, centre by centre (for k over {@link VECTOR_ARGMIN_K}). */
function scalarArgmin(f: FunctionBody, k: number, acc: number[], v: { top: number; runnerUp: number; best: number; a: number; lt: number }): void {
  f.f64(Infinity).set(v.top).f64(Infinity).set(v.runnerUp).i32(0).set(v.best);
  for (let c = 0; c < k; c++) {
    // if (a < runnerUp) { if (a < top) { runnerUp = top; top = a; best = c } else runnerUp = a }
    f.get(acc[c >> 1]).lane(Simd.f64x2ExtractLane, c & 1).tee(v.a).get(v.top).op(Op.f64Lt).set(v.lt);
    f.get(v.top).get(v.a).get(v.runnerUp).get(v.a).get(v.runnerUp).op(Op.f64Lt).op(Op.select).get(v.lt).op(Op.select).set(v.runnerUp);
    f.get(v.a).get(v.top).get(v.lt).op(Op.select).set(v.top);
    f.i32(c).get(v.best).get(v.lt).op(Op.select).set(v.best);
  }
}

/** `mem[base + index·stride + offset] (op)= value()`, for the per-block partial sums and counts. */
function addTo(f: FunctionBody, base: number, index: number, stride: number, offset: number, value: () => void, op: number): void {
  const addr = () => f.get(base).get(index).i32(stride).op(Op.i32Mul).op(Op.i32Add);
  addr();
  addr();
  f.mem(Op.f64Load, 3, offset);
  value();
  f.op(op).mem(Op.f64Store, 3, offset);
}

/** `while (!done()) body()` as block { loop { br_if done → exit; body; br loop } }. */
function loop(f: FunctionBody, done: () => void, body: () => void): void {
  f.open(Op.block).open(Op.loop);
  done();
  f.br(Op.brIf, 1);
  body();
  f.br(Op.br, 0).end().end();
}

interface CheckLocals {
  from: number; to: number; i: number; count: number; own: number; rowAt: number; mostAt: number;
  u: number; l: number; bound: number; a: number;
}

/**
 * The loose bound test of checkBounds() in kmeans-hamerly-block.ts, without its branches: every
 * row's index is written to the pending list and the count moves on only when its bounds fail
 * (the test is unpredictable on overlapping data: a mispredicted branch cost more than the test).
 */
function checkBounds(f: FunctionBody, L: HamerlyLayout, v: CheckLocals, most: number, second: number): void {
  f.i32(0).set(v.count);
  f.i32(0).mem(Op.f64Load, 3, L.params + 8 * P_MOST_AT).op(Op.i32TruncF64S).set(v.mostAt);
  f.i32(0).mem(Op.f64Load, 3, L.params + 8 * P_MOST).set(most);
  f.i32(0).mem(Op.f64Load, 3, L.params + 8 * P_SECOND).set(second);
  f.get(v.from).set(v.i);
  loop(f, () => f.get(v.i).get(v.to).op(Op.i32GeS), () => {
    f.get(v.i).i32(4).op(Op.i32Mul).mem(Op.i32Load, 2, L.labels).set(v.own);
    f.get(v.i).i32(8).op(Op.i32Mul).set(v.rowAt);
    // u = upper[i] + moved[own]; l = lower[i] − (own === mostAt ? second : most)
    f.get(v.rowAt).mem(Op.f64Load, 3, L.upper).get(v.own).i32(8).op(Op.i32Mul).mem(Op.f64Load, 3, L.moved).op(Op.f64Add).set(v.u);
    f.get(v.rowAt).mem(Op.f64Load, 3, L.lower).get(second).get(most).get(v.own).get(v.mostAt).op(Op.i32Eq).op(Op.select).op(Op.f64Sub).set(v.l);
    f.get(v.rowAt).get(v.u).mem(Op.f64Store, 3, L.upper);
    f.get(v.rowAt).get(v.l).mem(Op.f64Store, 3, L.lower);
    // bound = half[own] > l ? half[own] : l; the row is listed unless u ≤ bound (so a NaN is listed)
    f.get(v.own).i32(8).op(Op.i32Mul).mem(Op.f64Load, 3, L.half).tee(v.a).get(v.l).get(v.a).get(v.l).op(Op.f64Gt).op(Op.select).set(v.bound);
    f.get(v.from).get(v.count).op(Op.i32Add).i32(4).op(Op.i32Mul).get(v.i).mem(Op.i32Store, 2, L.pending);
    f.get(v.count).get(v.u).get(v.bound).op(Op.f64Le).op(Op.i32Eqz).op(Op.i32Add).set(v.count);
    f.get(v.i).i32(1).op(Op.i32Add).set(v.i);
  });
}
