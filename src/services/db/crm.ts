import type { Table } from 'apache-arrow';
import { AppError } from '../../core/errors';
import type { TransactionColumns } from '../../core/crm/column-mapping';
import { customerSummarySql, type SummaryOptions } from '../../core/crm/summary';
import { columnsToIPC } from '../../core/formats/arrow-build';
import type { DbConnector } from './connector';
import { ident } from './sql';

/** The customer summary as columns ready for src/core/crm (BG/NBD, Gamma-Gamma, CLV). */
export interface CustomerSummaryColumns {
  /** Customer ids as DuckDB returned them (number, bigint or string). */
  customerId: unknown[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Mean value of the repeat transactions; NaN when x = 0. */
  m: Float64Array;
  /** Transactions in the holdout period (only when a holdout end was given). */
  xHoldout?: Float64Array;
}

function numbers(table: Table, name: string, missing = NaN): Float64Array {
  const col = table.getChild(name);
  if (!col) throw new AppError('query-failed', `The customer summary has no column "${name}".`);
  const out = new Float64Array(table.numRows);
  for (let i = 0; i < out.length; i++) {
    const v = col.get(i) as number | bigint | null;
    out[i] = v === null ? missing : Number(v);
  }
  return out;
}

/**
 * Runs {@link customerSummarySql} in DuckDB and returns its columns as typed arrays (Arrow, no
 * row objects), in customer-id order: the input of `fitClvModel` and `calibrationHoldout`.
 */
export async function readCustomerSummary(db: DbConnector, cols: TransactionColumns, options: SummaryOptions): Promise<CustomerSummaryColumns> {
  const table = await db.query(customerSummarySql(cols, options));
  const ids = table.getChild('customer_id')!;
  const customerId: unknown[] = [];
  for (let i = 0; i < table.numRows; i++) customerId.push(ids.get(i));
  return {
    customerId,
    x: numbers(table, 'x'),
    tx: numbers(table, 't_x'),
    T: numbers(table, 'T'),
    m: numbers(table, 'mean_spend'),
    xHoldout: options.holdoutEnd ? numbers(table, 'x_holdout') : undefined,
  };
}

/**
 * Writes per-customer results (CLV, P(alive), …) back into DuckDB as `target` (replaced): a
 * `customer_id` column plus one DOUBLE column per entry of `values`, so they join like any table.
 */
export async function writeCustomerColumns(db: DbConnector, target: string, customerId: readonly unknown[], values: Record<string, ArrayLike<number>>): Promise<void> {
  const columns = [{ name: 'customer_id', values: [...customerId] }, ...Object.entries(values).map(([name, v]) => ({ name, values: Array.from(v) }))];
  await db.query(`DROP TABLE IF EXISTS ${ident(target)}`);
  await db.insertArrowIPC(target, columnsToIPC(columns), true);
}
