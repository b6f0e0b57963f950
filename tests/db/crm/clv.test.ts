import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitClvModel } from '../../../src/core/crm/clv-model';
import { calibrationHoldout } from '../../../src/core/crm/holdout';
import { customerSummarySql, holdoutLength } from '../../../src/core/crm/summary';
import { columnsToIPC } from '../../../src/core/formats/arrow-build';
import { generateCrmDemo } from '../../../src/core/generate/crm-demo';
import type { DbConnector } from '../../../src/services/db/connector';
import { readCustomerSummary, writeCustomerColumns } from '../../../src/services/db/crm';
import { freshDb, rows } from '../helpers';

const COLS = { table: 'orders', customer: 'customer_id', date: 'order_date', amount: 'amount' };

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
});
afterAll(() => db.close());

describe('customer summary SQL', () => {
  it('gives x, t_x, T (weeks), the repeat mean spend and holdout counts, one transaction per day', async () => {
    // Customer 1: orders on Jan 1 (two: 10 + 5, one day), Jan 15 (20), Jan 29 (40); calibration
    // ends Feb 12, holdout to Mar 11 with one order on Feb 20. x = 2, t_x = 28/7 = 4, T = 42/7
    // = 6, mean spend of the repeat days (20 + 40)/2 = 30, x_holdout = 1.
    // Customer 2: one order Feb 5 → x = 0, t_x = 0, T = 1, mean spend NULL, no holdout orders.
    // Customer 3 first buys in the holdout period, so is not in the calibration summary.
    await db.query(`CREATE TABLE tiny AS SELECT * FROM (VALUES
      (1, TIMESTAMP '2024-01-01 09:00', 10.0), (1, TIMESTAMP '2024-01-01 18:00', 5.0), (1, TIMESTAMP '2024-01-15 12:00', 20.0),
      (1, TIMESTAMP '2024-01-29 12:00', 40.0), (1, TIMESTAMP '2024-02-20 12:00', 7.0), (2, TIMESTAMP '2024-02-05 08:00', 9.0),
      (3, TIMESTAMP '2024-02-14 08:00', 9.0)) AS t(customer_id, order_date, amount)`);
    const got = await rows(db, customerSummarySql({ ...COLS, table: 'tiny' }, { calibrationEnd: '2024-02-12', holdoutEnd: '2024-03-11' }));
    expect(got.map(({ first_order: _f, ...r }) => r)).toEqual([
      { customer_id: 1, x: 2, t_x: 4, T: 6, mean_spend: 30, spend_n: 2, x_holdout: 1 },
      { customer_id: 2, x: 0, t_x: 0, T: 1, mean_spend: null, spend_n: 0, x_holdout: 0 },
    ]);
    expect(holdoutLength({ calibrationEnd: '2024-02-12', holdoutEnd: '2024-03-11' })).toBe(4);
  });
});

describe('BG/NBD + Gamma-Gamma on the demo CRM through DuckDB', () => {
  // 8,000 demo customers signing up over 2023–2024; calibrate on 2023-01-01 … 2024-06-30,
  // hold out 2024-07-01 … 2024-12-30. Summaries round times to days, so tolerances are looser
  // than for the direct simulation (tests/core/crm): 15% for r, α and the Gamma-Gamma mean.
  const demo = generateCrmDemo({ customers: 8000, seed: 5 });
  const options = { calibrationEnd: '2024-07-01', holdoutEnd: '2024-12-31' };

  it('recovers the generator’s parameters and predicts the holdout period', async () => {
    await db.insertArrowIPC('orders', columnsToIPC(demo.orders), true);
    const summary = await readCustomerSummary(db, COLS, options);
    const model = fitClvModel(summary, { horizon: holdoutLength(options) });
    const { r, alpha, a, b } = model.bgnbd.params;
    const truth = demo.truth.bgnbd;
    console.log(`demo BG/NBD true ${JSON.stringify(truth)} fitted ${JSON.stringify(model.bgnbd.params)}; Gamma-Gamma fitted ${JSON.stringify(model.gammaGamma.params)}`);
    expect(Math.abs(r / truth.r - 1)).toBeLessThan(0.15);
    expect(Math.abs(alpha / truth.alpha - 1)).toBeLessThan(0.15);
    expect(Math.abs(a / (a + b) / (truth.a / (truth.a + truth.b)) - 1)).toBeLessThan(0.15);
    const { p, q, gamma } = model.gammaGamma.params;
    expect(Math.abs((p * gamma) / (q - 1) / demo.truth.meanSpend - 1)).toBeLessThan(0.15);

    const check = calibrationHoldout(model.bgnbd.params, { ...summary, xHoldout: summary.xHoldout! }, holdoutLength(options));
    console.log(`holdout: actual ${check.totalActual}, expected ${check.totalExpected.toFixed(1)}`, check.rows.map((row) => `${row.label}: ${row.actual.toFixed(2)} vs ${row.expected.toFixed(2)}`).join(', '));
    expect(Math.abs(check.totalExpected / check.totalActual - 1)).toBeLessThan(0.1);
    expect(check.rows.map((row) => row.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);

    await writeCustomerColumns(db, 'customer_clv', summary.customerId, { clv: model.clv, p_alive: model.pAlive });
    const back = await rows(db, `SELECT count(*) AS n, min(p_alive) >= 0 AND max(p_alive) <= 1 AS ok, sum(clv) > 0 AS positive FROM customer_clv`);
    expect(back).toEqual([{ n: summary.x.length, ok: true, positive: true }]);
  });
});
