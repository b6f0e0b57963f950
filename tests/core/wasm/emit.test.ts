import { describe, expect, it } from 'vitest';
import { encodeModule, F64, FunctionBody, I32, Op, Simd, simdSupported, V128 } from '../../../src/core/wasm/emit';

/** Instantiates a module of one exported function `f` (no memory unless `pages`). */
function run(f: FunctionBody, pages = 0): { fn: (...args: number[]) => number; memory?: WebAssembly.Memory } {
  const memory = pages ? new WebAssembly.Memory({ initial: pages, maximum: pages }) : undefined;
  const bytes = encodeModule(memory ? { pages, shared: false } : null, { f });
  expect(WebAssembly.validate(bytes)).toBe(true);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), memory ? { env: { memory } } : {});
  return { fn: instance.exports.f as (...args: number[]) => number, memory };
}

describe('the WebAssembly writer', () => {
  it('encodes i32 constants of every LEB128 length, positive and negative', () => {
    for (const v of [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8193, 2 ** 20, 2 ** 31 - 1, -(2 ** 31)]) {
      const f = new FunctionBody([], [I32]);
      f.i32(v);
      expect(run(f).fn()).toBe(v);
    }
  });

  it('encodes f64 constants bit for bit (±0, ±∞, subnormals)', () => {
    for (const v of [0, -0, Math.PI, -1e-310, Infinity, -Infinity, Number.MAX_VALUE]) {
      const f = new FunctionBody([], [F64]);
      f.f64(v);
      expect(Object.is(run(f).fn(), v)).toBe(true);
    }
  });

  it('runs loops, branches and locals: the sum 1..n', () => {
    const f = new FunctionBody([I32], [I32]);
    const s = f.local(I32);
    f.open(Op.block).open(Op.loop);
    f.get(0).op(Op.i32Eqz).br(Op.brIf, 1);
    f.get(s).get(0).op(Op.i32Add).set(s);
    f.get(0).i32(1).op(Op.i32Sub).set(0);
    f.br(Op.br, 0).end().end();
    f.get(s);
    expect(run(f).fn(100)).toBe(5050);
  });

  it('reads and writes memory at byte offsets, and runs f64x2 arithmetic lane by lane', () => {
    expect(simdSupported()).toBe(true);
    const f = new FunctionBody([I32], [F64]);
    const v = f.local(V128);
    // mem[a..a+16) = mem[a..a+16) · splat(mem[a+16]) + mem[a..a+16); returns lane 1.
    f.get(0).mem(Simd.load, 4, 0, true).get(0).mem(Simd.load64Splat, 3, 16, true).simd(Simd.f64x2Mul);
    f.get(0).mem(Simd.load, 4, 0, true).simd(Simd.f64x2Add).set(v);
    f.get(0).get(v).mem(Simd.store, 4, 0, true);
    f.get(v).lane(Simd.f64x2ExtractLane, 1);
    const { fn, memory } = run(f, 1);
    const m = new Float64Array(memory!.buffer);
    m.set([1.5, -2, 3], 4);
    expect(fn(32)).toBe(-2 * 3 + -2);
    expect(Array.from(m.subarray(4, 6))).toEqual([1.5 * 3 + 1.5, -8]);
  });

  it('shuffles lanes and takes the pseudo-minimum', () => {
    const f = new FunctionBody([F64, F64], [F64]);
    const v = f.local(V128);
    f.get(0).simd(Simd.f64x2Splat).set(v);
    // [a, a] with lane 1 replaced through a shuffle of [a, a] and [b, b]: [a, b], then min of its two lanes.
    f.get(v).get(1).simd(Simd.f64x2Splat).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]).tee(v);
    f.get(v).get(v).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]).simd(Simd.f64x2Pmin);
    f.lane(Simd.f64x2ExtractLane, 0);
    const { fn } = run(f);
    expect(fn(3, -4)).toBe(-4);
    expect(fn(-5, 2)).toBe(-5);
  });
});
