import { readFileSync } from 'node:fs';
import type { FeatureMatrix } from '../../src/core/models/matrix';
import type { BenchContext } from './harness';
import { cacheArray } from './peers';

/** Reads a file written by cacheArray back as int32 values. */
export function readI32(path: string): Int32Array {
  const b = readFileSync(path);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/**
 * Caches a generated (x, y) pair of `n` rows as raw little-endian arrays shared with the Python
 * peer, and reads them back; with `shared`, x lands in a SharedArrayBuffer (as the Predict room's
 * feature matrix does when helper threads will share the fit).
 */
export function cachedXY(ctx: BenchContext, tag: string, n: number, make: () => { x: Float64Array; y: Int32Array }, shared = false): { xPath: string; yPath: string; m: FeatureMatrix; y: Int32Array; d: number } {
  let made: { x: Float64Array; y: Int32Array } | null = null;
  const get = () => (made ??= make());
  const xPath = cacheArray(ctx.dataDir, `${tag}.x.f64`, () => get().x);
  const yPath = cacheArray(ctx.dataDir, `${tag}.y.i32`, () => get().y);
  const bytes = readFileSync(xPath);
  const x = new Float64Array(shared ? new SharedArrayBuffer(bytes.byteLength) : new ArrayBuffer(bytes.byteLength));
  new Uint8Array(x.buffer).set(bytes);
  const d = x.length / n;
  return { xPath, yPath, m: { data: x, n, d }, y: readI32(yPath), d };
}

/** Share of rows whose prediction equals the label. */
export function accuracyOf(pred: ArrayLike<number>, y: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}
