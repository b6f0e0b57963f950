import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Debian's python3 (python3-sklearn 1.2.1, python3-pandas 1.5.3); not a pyenv shim. */
export const PYTHON = '/usr/bin/python3';
/** Debian's Weka 3.6 (package `weka`). */
export const WEKA_JAR = '/usr/share/java/weka.jar';

/** Writes typed-array data (little-endian, as numpy's '<f8' / '<i4' read it) once into the bench data folder. */
export function cacheArray(dir: string, name: string, make: () => Float64Array | Int32Array): string {
  const path = join(dir, name);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const a = make();
  writeFileSync(`${path}.tmp`, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  spawnSync('mv', [`${path}.tmp`, path]);
  return path;
}

/** Reads a file written by {@link cacheArray} back as float64 values. */
export function readF64(path: string): Float64Array {
  const buf = readFileSync(path);
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/**
 * Runs tests/bench/sklearn-peer.py with `args` and `threads` OpenMP/BLAS threads; returns its JSON.
 */
export function runSklearn<T>(args: string[], threads: number): T {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const p = spawnSync(PYTHON, [join(here, 'sklearn-peer.py'), ...args], { encoding: 'utf8', env, maxBuffer: 16 << 20 });
  if (p.status !== 0) throw new Error(`scikit-learn peer failed: ${p.stderr}`);
  return JSON.parse(p.stdout) as T;
}

/** Runs a Weka class on the JVM; returns seconds of wall time (JVM start and file load included) and stdout. */
export function runWeka(args: string[], memory = '3g'): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const p = spawnSync('java', [`-Xmx${memory}`, '-cp', WEKA_JAR, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (p.status !== 0) throw new Error(`weka failed: ${p.stderr || p.stdout}`);
  return { seconds, stdout: p.stdout };
}
