/**
 * A small WebAssembly binary writer for kernels generated at run time (WebAssembly spec 2.0,
 * §5 "Binary format", plus the fixed-width SIMD instructions). Kernels are written for one shape
 * of data (dimensions, cluster count, buffer offsets baked in as constants), which lets the hot
 * loops be fully unrolled without a compiler toolchain in the build. Only what the kernels use
 * is here: one imported memory, functions over i32/f64/v128 locals, structured control flow.
 * The page's CSP must allow 'wasm-unsafe-eval' (DuckDB-WASM needs it too).
 */

/** Value types (§5.3.1). */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F64 | typeof V128;

/** Plain opcodes the kernels use (§5.4). */
export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  drop: 0x1a, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f64Load: 0x2b, i32Store: 0x36, f64Store: 0x39,
  i32Const: 0x41, f64Const: 0x44,
  i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32GeS: 0x4e,
  f64Eq: 0x61, f64Lt: 0x63, f64Gt: 0x64, f64Le: 0x65,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
  i32Ctz: 0x68, i32Or: 0x72, i64ExtendI32S: 0xac,
  f64Sqrt: 0x9f, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Max: 0xa5,
  i32TruncF64S: 0xaa,
} as const;

/** SIMD opcodes (prefix 0xfd, then this number as LEB128). */
export const Simd = {
  load: 0x00, load64Splat: 0x0a, store: 0x0b, const: 0x0c, shuffle: 0x0d,
  i64x2Splat: 0x12, f64x2Splat: 0x14, f64x2ExtractLane: 0x21,
  f64x2Eq: 0x47, bitselect: 0x52, i64x2Bitmask: 0xc4, i64x2Eq: 0xd6,
  f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Pmin: 0xf6,
} as const;

/** Block type of a block/loop/if without results. */
const EMPTY = 0x40;

function unsigned(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function signed(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * The body of one function: locals are declared as they are needed (`local`), instructions are
 * appended with the helpers below. Offsets of loads and stores are byte offsets into the memory.
 */
export class FunctionBody {
  readonly bytes: number[] = [];
  private readonly types: ValueType[] = [];
  constructor(readonly params: ValueType[], readonly results: ValueType[]) {}

  /** Declares a local of `type`; returns its index. */
  local(type: ValueType): number {
    this.types.push(type);
    return this.params.length + this.types.length - 1;
  }

  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }

  simd(code: number): this {
    this.bytes.push(0xfd);
    unsigned(this.bytes, code);
    return this;
  }

  get(index: number): this {
    this.bytes.push(Op.localGet);
    unsigned(this.bytes, index);
    return this;
  }

  set(index: number): this {
    this.bytes.push(Op.localSet);
    unsigned(this.bytes, index);
    return this;
  }

  tee(index: number): this {
    this.bytes.push(Op.localTee);
    unsigned(this.bytes, index);
    return this;
  }

  i32(value: number): this {
    this.bytes.push(Op.i32Const);
    signed(this.bytes, value);
    return this;
  }

  f64(value: number): this {
    this.bytes.push(Op.f64Const);
    scratch.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.bytes.push(scratch.getUint8(i));
    return this;
  }

  /** `v128.const` of two f64 lanes (`f64`) or two i64 lanes given as numbers (`i64`). */
  v128(lanes: [number, number], kind: 'f64' | 'i64'): this {
    this.simd(Simd.const);
    for (const v of lanes) {
      if (kind === 'f64') scratch.setFloat64(0, v, true);
      else scratch.setBigInt64(0, BigInt(v), true);
      for (let i = 0; i < 8; i++) this.bytes.push(scratch.getUint8(i));
    }
    return this;
  }

  /** `i8x16.shuffle` of the two vectors on the stack, with its 16 byte indices (0–15 the first, 16–31 the second). */
  shuffle(lanes: number[]): this {
    this.simd(Simd.shuffle);
    this.bytes.push(...lanes);
    return this;
  }

  /** A memory access: `code` (a plain opcode, or a SIMD one when `simd`), alignment as log2 bytes, byte offset. */
  mem(code: number, align: number, offset: number, simd = false): this {
    if (simd) this.simd(code);
    else this.bytes.push(code);
    unsigned(this.bytes, align);
    unsigned(this.bytes, offset);
    return this;
  }

  lane(code: number, lane: number): this {
    this.simd(code);
    this.bytes.push(lane);
    return this;
  }

  /** `block`, `loop` or `if` without results; close it with `end()`. */
  open(code: typeof Op.block | typeof Op.loop | typeof Op.if): this {
    this.bytes.push(code, EMPTY);
    return this;
  }

  end(): this {
    this.bytes.push(Op.end);
    return this;
  }

  br(code: typeof Op.br | typeof Op.brIf, depth: number): this {
    this.bytes.push(code);
    unsigned(this.bytes, depth);
    return this;
  }

  /** The function's code entry (§5.5.13): size, locals run-length encoded, body, end. */
  encode(): number[] {
    const entry: number[] = [];
    const runs: [number, ValueType][] = [];
    for (const t of this.types) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    unsigned(entry, runs.length);
    for (const [count, type] of runs) {
      unsigned(entry, count);
      entry.push(type);
    }
    entry.push(...this.bytes, Op.end);
    const out: number[] = [];
    unsigned(out, entry.length);
    return out.concat(entry);
  }
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  unsigned(out, content.length);
  for (const b of content) out.push(b);
}

function name(out: number[], text: string): void {
  const utf8 = new TextEncoder().encode(text);
  unsigned(out, utf8.length);
  out.push(...utf8);
}

/** The memory a module imports as `env.memory`: its size in 64 KiB pages, and whether threads share it. */
export interface ImportedMemory {
  pages: number;
  shared: boolean;
}

/** A module that imports `memory` (when given) and exports `functions` under their names. */
export function encodeModule(memory: ImportedMemory | null, functions: Record<string, FunctionBody>): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const entries = Object.entries(functions);
  const types: number[] = [];
  unsigned(types, entries.length);
  for (const [, f] of entries) {
    types.push(0x60);
    unsigned(types, f.params.length);
    types.push(...f.params);
    unsigned(types, f.results.length);
    types.push(...f.results);
  }
  section(out, 1, types);
  if (memory) {
    const imports: number[] = [1];
    name(imports, 'env');
    name(imports, 'memory');
    // Limits with a maximum (flag 1), shared (flag 3): a shared memory must declare its maximum.
    imports.push(0x02, memory.shared ? 0x03 : 0x01);
    unsigned(imports, memory.pages);
    unsigned(imports, memory.pages);
    section(out, 2, imports);
  }
  const funcs: number[] = [];
  unsigned(funcs, entries.length);
  entries.forEach((_, i) => unsigned(funcs, i));
  section(out, 3, funcs);
  const exports: number[] = [];
  unsigned(exports, entries.length);
  entries.forEach(([n], i) => {
    name(exports, n);
    exports.push(0x00);
    unsigned(exports, i);
  });
  section(out, 7, exports);
  const code: number[] = [];
  unsigned(code, entries.length);
  for (const [, f] of entries) code.push(...f.encode());
  section(out, 10, code);
  return new Uint8Array(out);
}

let simd: boolean | undefined;

/** Whether this engine runs fixed-width SIMD (whether a module with one f64x2 instruction validates). */
export function simdSupported(): boolean {
  if (simd !== undefined) return simd;
  if (typeof WebAssembly === 'undefined') return (simd = false);
  const probe = new FunctionBody([], [V128]);
  probe.f64(0).simd(Simd.f64x2Splat);
  try {
    simd = WebAssembly.validate(encodeModule(null, { probe }));
  } catch {
    simd = false;
  }
  return simd;
}
