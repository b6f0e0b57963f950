import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file in tests/fixtures/mining. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/mining/${name}`, import.meta.url));
}

/** Reads a fixture JSON file. */
export function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

/**
 * Reads the numeric columns of a headed CSV fixture into a row-major matrix (plain split: the
 * fixtures have no quoting). `columns` picks columns by position (default: all).
 */
export function readMatrix(name: string, columns?: number[]): { data: Float64Array; n: number; d: number } {
  const lines = readFileSync(fixturePath(name), 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return (columns ?? cells.map((_, j) => j)).map((j) => Number(cells[j]));
  });
  const d = rows[0].length;
  return { data: Float64Array.from(rows.flat()), n: rows.length, d };
}

/** One text column of a headed CSV fixture. */
export function readColumn(name: string, column: number): string[] {
  return readFileSync(fixturePath(name), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[column]);
}
