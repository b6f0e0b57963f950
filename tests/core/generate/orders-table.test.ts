import { describe, expect, it } from 'vitest';
import type { ValueColumn } from '../../../src/core/formats/arrow-build';
import { PRODUCTS } from '../../../src/core/generate/catalog';
import { ORDERS_TABLE_COLUMNS, createOrdersTableStream, generateOrdersTable, ordersChunkColumns } from '../../../src/core/generate/orders-table';

const col = (cols: ValueColumn[], name: string): unknown[] => cols.find((c) => c.name === name)!.values;

describe('generateOrdersTable (flat benchmark table)', () => {
  const table = generateOrdersTable(20_000, 9);

  it('has 12 columns of equal length, and is deterministic whatever the chunk size', () => {
    expect(table.map((c) => c.name)).toEqual([...ORDERS_TABLE_COLUMNS]);
    expect(table.every((c) => c.values.length === 20_000)).toBe(true);
    expect(generateOrdersTable(20_000, 9)).toEqual(table);
    const stream = createOrdersTableStream(20_000, 9);
    const parts: ValueColumn[][] = [];
    for (let chunk = stream.next(3_333); chunk; chunk = stream.next(3_333)) parts.push(ordersChunkColumns(chunk));
    const joined = table.map((c, i) => ({ name: c.name, values: parts.flatMap((p) => p[i].values) }));
    expect(joined).toEqual(table);
    expect(generateOrdersTable(100, 10)).not.toEqual(generateOrdersTable(100, 9));
    expect(generateOrdersTable(0, 1).every((c) => c.values.length === 0)).toBe(true);
  });

  it('has consistent, realistic values', () => {
    expect(col(table, 'order_id')).toEqual(Array.from({ length: 20_000 }, (_, i) => i + 1));
    const dates = col(table, 'order_date') as Date[];
    expect(dates.every((d) => d >= new Date('2023-01-01T00:00:00Z') && d < new Date('2025-01-01T00:00:00Z'))).toBe(true);
    const december = dates.filter((d) => d.getUTCMonth() === 11).length;
    const june = dates.filter((d) => d.getUTCMonth() === 5).length;
    expect(december / june).toBeGreaterThan(1.3);
    const price = new Map(PRODUCTS.map((p) => [p.name, p]));
    const q = col(table, 'quantity') as number[];
    const disc = col(table, 'discount') as number[];
    const amount = col(table, 'amount') as number[];
    const cats = col(table, 'category');
    (col(table, 'product') as string[]).forEach((name, i) => {
      const p = price.get(name)!;
      expect(cats[i]).toBe(p.category);
      // Rounded to cents: within half a cent (plus float noise).
      expect(Math.abs(amount[i] - q[i] * p.price * (1 - disc[i]))).toBeLessThan(0.00501);
    });
    const returned = col(table, 'returned') as boolean[];
    const rate = returned.filter(Boolean).length / returned.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.06);
    const missing = (col(table, 'region') as (string | null)[]).filter((r) => r === null).length;
    expect(missing).toBeGreaterThan(0);
    expect(missing / 20_000).toBeLessThan(0.01);
  });
});
