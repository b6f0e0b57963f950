// Loaders for the model fixtures in tests/fixtures/models (real data sets copied from
// ../shared/datasets, and reference figures written by the make-*.py scripts there).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureColumn } from '../../../src/core/models/preprocess';

const dir = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

/** A fixture file's text. */
export function fixtureText(name: string): string {
  return readFileSync(dir + name, 'utf8');
}

/** A JSON fixture, parsed. */
export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** A small CSV table: header and string cells (double quotes stripped; no embedded commas). */
export function readCsv(name: string): { header: string[]; rows: string[][] } {
  const lines = fixtureText(name).split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string) => line.split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

/**
 * A CSV as feature columns plus the target column's raw values: a column whose every cell parses
 * as a number is numeric, any other is categorical.
 */
export function csvColumns(name: string, target: string): { columns: FeatureColumn[]; target: string[] } {
  const { header, rows } = readCsv(name);
  const columns: FeatureColumn[] = [];
  let targetValues: string[] = [];
  header.forEach((h, j) => {
    const cells = rows.map((r) => r[j]);
    if (h === target) targetValues = cells;
    else if (cells.every((c) => c !== '' && Number.isFinite(Number(c)))) {
      columns.push({ name: h, kind: 'numeric', values: Float64Array.from(cells, Number) });
    } else columns.push({ name: h, kind: 'categorical', values: cells });
  });
  return { columns, target: targetValues };
}
