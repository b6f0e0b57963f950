import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RFM_GRID, RFM_SEGMENTS, createRfmTableSql, rfmSegmentOf, rfmSegmentSizesSql, rfmSql, segmentColumnSql } from '../../../src/core/crm/rfm';
import type { DbConnector } from '../../../src/services/db/connector';
import { freshDb, rows } from '../helpers';

/**
 * Ten customers designed so that each quintile holds two (NTILE(5) over 10 rows), as-of date
 * 2024-07-01. Per customer: last order, orders, total → R F M → FM = (F+M+1)//2 → segment
 * (RFM_GRID[R][FM]):
 *  1  2023-07-01  1  20   → R1 F1 M1 → FM1 → Lost
 *  2  2023-09-01  6  300  → R1 F5 M5 → FM5 → Can't lose them
 *  3  2023-12-01  2  80   → R2 F2 M3 → FM3 → At risk
 *  4  2024-01-15  3  120  → R2 F3 M4 → FM4 → At risk
 *  5  2024-03-01  2  50   → R3 F2 M2 → FM2 → About to sleep
 *  6  2024-04-01  2  90   → R3 F3 M3 → FM3 → Need attention
 *  7  2024-05-01  4  400  → R4 F4 M5 → FM5 → Loyal
 *  8  2024-05-20  4  60   → R4 F4 M2 → FM3 → Potential loyalist
 *  9  2024-06-10  1  30   → R5 F1 M1 → FM1 → New
 * 10  2024-06-25  8  150  → R5 F5 M4 → FM5 → Champions
 * Tie handling: customers 3, 5 and 6 all have 2 orders and sit at sorted positions 3–5 of
 * frequency; NTILE cuts after position 4, so 3 and 5 get F2 and 6 (the larger id) gets F3.
 * Recency days: 2023-07-01 → 2024-07-01 is 366 days (2024 is a leap year); 2024-06-25 → 6.
 * An order on 2024-07-05 (after the as-of date) and a row without a customer are ignored.
 */
const ORDERS: [number | null, string, number][] = [
  [1, '2023-07-01', 20],
  ...['2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01', '2023-08-01', '2023-09-01'].map((d): [number, string, number] => [2, d, 50]),
  [3, '2023-11-01', 40],
  [3, '2023-12-01', 40],
  [4, '2023-11-15', 40],
  [4, '2023-12-15', 40],
  [4, '2024-01-15', 40],
  [5, '2024-02-01', 25],
  [5, '2024-03-01', 25],
  [6, '2024-01-10', 45],
  [6, '2024-04-01', 45],
  ...['2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01'].map((d): [number, string, number] => [7, d, 100]),
  ...['2024-02-20', '2024-03-20', '2024-04-20', '2024-05-20'].map((d): [number, string, number] => [8, d, 15]),
  [9, '2024-06-10', 30],
  ...['2023-11-25', '2023-12-25', '2024-01-25', '2024-02-25', '2024-03-25', '2024-04-25', '2024-05-25', '2024-06-25'].map((d): [number, string, number] => [10, d, 18.75]),
  [1, '2024-07-05', 999],
  [null, '2024-01-01', 5],
];
const COLS = { table: 'orders', customer: 'customer_id', date: 'order_date', amount: 'amount', orderId: 'order_id' };
const EXPECTED: [number, number, number, number, string][] = [
  [1, 1, 1, 1, 'Lost'],
  [2, 1, 5, 5, "Can't lose them"],
  [3, 2, 2, 3, 'At risk'],
  [4, 2, 3, 4, 'At risk'],
  [5, 3, 2, 2, 'About to sleep'],
  [6, 3, 3, 3, 'Need attention'],
  [7, 4, 4, 5, 'Loyal'],
  [8, 4, 4, 2, 'Potential loyalist'],
  [9, 5, 1, 1, 'New'],
  [10, 5, 5, 4, 'Champions'],
];

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  const values = ORDERS.map(([c, d, a], i) => `(${i + 1}, ${c ?? 'NULL'}, TIMESTAMP '${d} 10:30:00', ${a})`).join(', ');
  await db.query(`CREATE TABLE orders (order_id INTEGER, customer_id INTEGER, order_date TIMESTAMP, amount DECIMAL(10,2)); INSERT INTO orders VALUES ${values}`);
});
afterAll(() => db.close());

describe('RFM scores and segments', () => {
  it('gives the hand-computed scores and segments', async () => {
    const got = await rows(db, `SELECT customer_id, r_score, f_score, m_score, segment FROM (${rfmSql(COLS, { asOf: '2024-07-01' })}) ORDER BY customer_id`);
    expect(got.map((r) => [r.customer_id, r.r_score, r.f_score, r.m_score, r.segment])).toEqual(EXPECTED);
    for (const [, r, f, m, segment] of EXPECTED) expect(rfmSegmentOf(r, f, m)).toBe(segment);
  });

  it('measures recency in days to the as-of date and sums frequency and money', async () => {
    const got = await rows(db, `SELECT customer_id, recency_days, frequency, monetary, rfm_cell FROM (${rfmSql(COLS, { asOf: '2024-07-01' })}) WHERE customer_id IN (1, 10) ORDER BY 1`);
    expect(got).toEqual([
      { customer_id: 1, recency_days: 366, frequency: 1, monetary: 20, rfm_cell: '111' },
      { customer_id: 10, recency_days: 6, frequency: 8, monetary: 150, rfm_cell: '554' },
    ]);
  });

  it('counts distinct orders when the table has one row per order line', async () => {
    await db.query(`CREATE TABLE order_lines AS SELECT * FROM orders UNION ALL SELECT * FROM orders WHERE customer_id = 9`);
    const got = await rows(db, `SELECT frequency, monetary FROM (${rfmSql({ ...COLS, table: 'order_lines' }, { asOf: '2024-07-01' })}) WHERE customer_id = 9`);
    expect(got).toEqual([{ frequency: 1, monetary: 60 }]);
  });

  it('defaults the as-of date to the day after the last order', async () => {
    const got = await rows(db, `SELECT recency_days, frequency FROM (${rfmSql(COLS)}) WHERE customer_id = 1`);
    // The 2024-07-05 order now counts: as-of 2024-07-06, recency 1 day, 2 orders.
    expect(got).toEqual([{ recency_days: 1, frequency: 2 }]);
  });

  it('sizes the segments with customer and revenue shares, in display order', async () => {
    const got = await rows(db, rfmSegmentSizesSql(`(${rfmSql(COLS, { asOf: '2024-07-01' })})`));
    expect(got.map((r) => r.segment)).toEqual(RFM_SEGMENTS.filter((s) => s !== 'Hibernating' && s !== 'Promising'));
    const atRisk = got.find((r) => r.segment === 'At risk')!;
    // Customers 3 and 4: 80 + 120 = 200 of 1,300 in total.
    expect(atRisk.customers).toBe(2);
    expect(atRisk.customer_share).toBeCloseTo(0.2, 12);
    expect(atRisk.revenue).toBeCloseTo(200, 9);
    expect(atRisk.revenue_share).toBeCloseTo(200 / 1300, 12);
    expect(got.reduce((s, r) => s + (r.revenue_share as number), 0)).toBeCloseTo(1, 12);
  });

  it('writes the segment back as a table and as a customer column', async () => {
    await db.query(createRfmTableSql(COLS, 'rfm', { asOf: '2024-07-01' }));
    await db.query(`CREATE TABLE customers AS SELECT range + 1 AS customer_id, 'name ' || (range + 1) AS name FROM range(11)`);
    await db.query(segmentColumnSql('customers', 'customer_id', 'rfm', 'customers_rfm'));
    const got = await rows(db, `SELECT customer_id, name, rfm_segment FROM customers_rfm WHERE customer_id IN (10, 11) ORDER BY 1`);
    expect(got).toEqual([
      { customer_id: 10, name: 'name 10', rfm_segment: 'Champions' },
      { customer_id: 11, name: 'name 11', rfm_segment: null },
    ]);
  });

  it('the grid names every one of the eleven segments', () => {
    expect(new Set(RFM_GRID.flat())).toEqual(new Set(RFM_SEGMENTS));
  });

  it('refuses an as-of date that is not YYYY-MM-DD', () => {
    expect(() => rfmSql(COLS, { asOf: '2024-02-30' })).toThrow(/YYYY-MM-DD/);
  });
});
