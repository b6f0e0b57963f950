import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORDERS_TABLE_COLUMNS, generateOrdersTable } from '../../../src/core/generate/orders-table';
import { ensureOrdersCsv, writeOrdersCsv } from '../../bench/orders-csv';

const dir = mkdtempSync(join(tmpdir(), 'orders-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOrdersCsv (benchmark input)', () => {
  it('writes the same rows as generateOrdersTable, across chunk boundaries', async () => {
    const rows = 120_001; // > two 50,000-row chunks
    const path = join(dir, 'o.csv');
    const bytes = await writeOrdersCsv(path, rows, 5);
    const text = readFileSync(path, 'utf8');
    expect(Buffer.byteLength(text)).toBe(bytes);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(rows + 1);
    expect(lines[0]).toBe(ORDERS_TABLE_COLUMNS.join(','));
    const table = generateOrdersTable(rows, 5);
    for (const i of [0, 49_999, 50_000, 100_000, rows - 1]) {
      const f = lines[i + 1].split(',');
      expect(Number(f[0])).toBe(table[0].values[i]);
      expect(Number(f[1])).toBe(table[1].values[i]);
      expect(new Date(`${f[2].replace(' ', 'T')}Z`)).toEqual(table[2].values[i]);
      expect(Number(f[3])).toBe(table[3].values[i]);
      expect(f[5]).toBe(table[5].values[i]);
      expect(f[7]).toBe(table[7].values[i] ?? '');
      expect(f[11]).toBe(String(table[11].values[i]));
    }
  });

  it('reuses a file made from the same rows and seed, and rebuilds for another seed', async () => {
    const first = await ensureOrdersCsv(dir, 1000, 1);
    expect(first.generated).toBe(true);
    expect(await ensureOrdersCsv(dir, 1000, 1)).toEqual({ ...first, generated: false });
    expect((await ensureOrdersCsv(dir, 1000, 2)).generated).toBe(true);
  });
});
