import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../src/services/db/connector';
import { readActivitySequences, readLatestActivity, scaleActivity } from '../../src/services/db/neural-sequences';
import { freshDb } from './helpers';

// Activity sequences for the Neural room's sequence model, on a tiny orders table whose expected
// values are worked out by hand below (real DuckDB-WASM, node-blocking build).
//
// Months: the last order (c1, 2024-04-02) makes April 2024 the last period. With 1 held-out month
// and 3 of history, the input is Jan, Feb, Mar (t = 0, 1, 2) and the target looks at April.
//   c1: Jan 1 order / 10; Feb 2 orders / 25; Mar nothing; buys in April → churn 0
//   c2: Jan 1 order / 100; nothing after → churn 1
//   c3: Mar one order of two lines (30 + 12) → 1 order / 42 → churn 1
//   c4: Dec 2023 only, before the history window → left out
//   the row without a customer and the row with an unreadable date are ignored.
let db: DbConnector;
const cols = { table: 'orders', customer: 'customer', date: 'order_date', amount: 'amount', orderId: 'order_id' };

beforeAll(async () => {
  db = await freshDb();
  await db.query(`CREATE TABLE orders AS SELECT * FROM (VALUES
    ('c1', '2024-01-05', 10.0, 1), ('c1', '2024-02-10', 20.0, 2), ('c1', '2024-02-20', 5.0, 3), ('c1', '2024-04-02', 7.0, 4),
    ('c2', '2024-01-15', 100.0, 5),
    ('c3', '2024-03-03', 30.0, 6), ('c3', '2024-03-03', 12.0, 6),
    ('c4', '2023-12-01', 50.0, 7),
    (NULL, '2024-02-01', 1.0, 8), ('c2', 'not a date', 1.0, 9)
  ) t(customer, order_date, amount, order_id)`);
});

afterAll(async () => {
  await db?.close();
});

describe('activity sequences from an orders table', () => {
  it('counts orders and spend per month over the history, target = churn in the held-out month', async () => {
    const s = await readActivitySequences(db, cols, { period: 'month', history: 3, horizon: 1, target: 'churn' });
    expect(s.customerId).toEqual(['c1', 'c2', 'c3']);
    expect(s.n).toBe(3);
    expect(Array.from(s.x)).toEqual([
      1, 10, 2, 25, 0, 0,
      1, 100, 0, 0, 0, 0,
      0, 0, 0, 0, 1, 42,
    ]);
    expect(Array.from(s.y)).toEqual([0, 1, 1]);
    expect(s.historyStart).toBe('2024-01-01');
    expect(s.horizonStart).toBe('2024-04-01');
  });

  it('next-period purchase is the opposite label; without an order id every row is an order', async () => {
    const s = await readActivitySequences(db, { ...cols, orderId: undefined }, { period: 'month', history: 3, horizon: 1, target: 'next-purchase' });
    expect(Array.from(s.y)).toEqual([1, 0, 0]);
    // c3's two lines now count as two orders.
    expect(Array.from(s.x.subarray(12))).toEqual([0, 0, 0, 0, 2, 42]);
  });

  it('weeks start on Monday; customers without history-window activity are left out', async () => {
    // Last week: Mon 2024-04-01. History 6 weeks = Feb 19 … Mar 25; c1's Tue Feb 20 order is in
    // week Feb 19 (t = 0), c3's Sun Mar 3 order in week Feb 26 (t = 1). c2 bought only in January.
    const s = await readActivitySequences(db, cols, { period: 'week', history: 6, horizon: 1, target: 'churn' });
    expect(s.customerId).toEqual(['c1', 'c3']);
    expect(Array.from(s.x.subarray(0, 4))).toEqual([1, 5, 0, 0]);
    expect(Array.from(s.x.subarray(12, 16))).toEqual([0, 0, 1, 42]);
    expect(Array.from(s.y)).toEqual([0, 1]);
    expect(s.historyStart).toBe('2024-02-19');
  });

  it('refuses more periods than the data spans, naming the table and column', async () => {
    // Dec 2023 … Apr 2024 is 5 months.
    await expect(readActivitySequences(db, cols, { period: 'month', history: 5, horizon: 1, target: 'churn' })).rejects.toThrow(/orders spans 5 months of order_date; 5 of history and 1 held out need 6/);
    await expect(readActivitySequences(db, { ...cols, date: 'customer' }, { period: 'month', history: 1, horizon: 1, target: 'churn' })).rejects.toThrow(/no row with both a customer \(customer\) and a readable date \(customer\)/);
  });

  it('the latest activity to score ends at the last period: Mar and Apr for 2 months', async () => {
    // c1: nothing in March, its 7.0 order in April; c3: its March order; c2 and c4 bought before.
    const s = await readLatestActivity(db, cols, 'month', 2);
    expect(s.customerId).toEqual(['c1', 'c3']);
    expect(Array.from(s.x)).toEqual([0, 0, 1, 7, 1, 42, 0, 0]);
  });

  it('scales with log1p and the training rows\' largest value', () => {
    const x = Float32Array.from([1, 10, 3, 0, 0, 100, 7, 1]);
    const { x: out, divisors } = scaleActivity(x, [0], 2);
    expect(divisors[0]).toBeCloseTo(Math.log1p(3), 6);
    expect(divisors[1]).toBeCloseTo(Math.log1p(10), 6);
    expect(out[0]).toBeCloseTo(Math.log1p(1) / Math.log1p(3), 6);
    expect(out[5]).toBeCloseTo(Math.log1p(100) / Math.log1p(10), 6);
  });
});
