import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohortMatrix, cohortRetentionSql, type CohortCell } from '../../../src/core/crm/cohorts';
import type { DbConnector } from '../../../src/services/db/connector';
import { freshDb, rows } from '../helpers';

/**
 * Five customers: a buys in Jan (twice), Feb, Apr 2024; b in Jan, Mar; c in Jan; d in Feb, Mar;
 * e in Feb. Cohort 2024-01 = {a, b, c} (3): month 0 all 3 (100%), month 1 a (1/3), month 2 b
 * (1/3), month 3 a (1/3). Cohort 2024-02 = {d, e} (2): month 0 both, month 1 d (50%), month 2
 * nobody (no row; 0 in the matrix). A May order after the cut-off is ignored.
 */
const ORDERS = [
  ['a', '2024-01-03'], ['a', '2024-01-28'], ['a', '2024-02-10'], ['a', '2024-04-30'],
  ['b', '2024-01-31'], ['b', '2024-03-01'],
  ['c', '2024-01-15'],
  ['d', '2024-02-01'], ['d', '2024-03-31'],
  ['e', '2024-02-29'],
  ['e', '2024-05-02'],
];

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await db.query(`CREATE TABLE orders AS SELECT * FROM (VALUES ${ORDERS.map(([c, d]) => `('${c}', DATE '${d}', 10.0)`).join(', ')}) AS t(customer, day, amount)`);
});
afterAll(() => db.close());

describe('cohort retention', () => {
  it('counts customers by first-purchase month × months since', async () => {
    const got = await rows(db, cohortRetentionSql({ table: 'orders', customer: 'customer', date: 'day', amount: 'amount' }, { before: '2024-05-01' }));
    const table = got.map((r) => [new Date(r.cohort as number).toISOString().slice(0, 7), r.months_since, r.customers, r.cohort_size]);
    expect(table).toEqual([
      ['2024-01', 0, 3, 3],
      ['2024-01', 1, 1, 3],
      ['2024-01', 2, 1, 3],
      ['2024-01', 3, 1, 3],
      ['2024-02', 0, 2, 2],
      ['2024-02', 1, 1, 2],
    ]);
    expect(got.map((r) => r.retention)).toEqual([1, 1 / 3, 1 / 3, 1 / 3, 1, 0.5]);

    const cells: CohortCell[] = table.map(([cohort, monthsSince, customers, cohortSize]) => ({ cohort, monthsSince, customers, cohortSize }) as CohortCell);
    expect(cohortMatrix(cells, '2024-04')).toEqual({
      cohorts: ['2024-01', '2024-02'],
      sizes: [3, 2],
      retention: [
        [1, 1 / 3, 1 / 3, 1 / 3],
        [1, 0.5, 0, null],
      ],
    });
  });
});
