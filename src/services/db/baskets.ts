import { AppError } from '../../core/errors';
import { transactionsFromPairs, type Transactions } from '../../core/mining/transactions';
import { queryColumns } from './arrow-result';
import type { DbConnector } from './connector';
import { ident } from './sql';

/**
 * Where baskets come from. Long form: one row per line, a basket id column and an item column
 * (order_lines: order_id + product). Wide form: one row per basket, 0/1 (or true/false) columns,
 * one per item; a value > 0 means the item is in the basket.
 */
export type BasketSource =
  | { form: 'long'; table: string; basket: string; item: string }
  | { form: 'wide'; table: string; items: string[] };

/** Baskets as the miner takes them, with the item names behind the item ids. */
export interface Baskets {
  transactions: Transactions;
  /** `itemNames[id]` is the item with that id. */
  itemNames: string[];
  /** Number of baskets N (support is a fraction of N). */
  baskets: number;
  /** Lines read (basket, item pairs). */
  lines: number;
}

/**
 * Reads baskets from DuckDB as two Int32 Arrow columns of dense codes (`dense_rank()` of basket
 * and item), never as row objects. Rows with a missing basket id or item are skipped.
 */
export async function readBaskets(db: DbConnector, source: BasketSource): Promise<Baskets> {
  const t = ident(source.table);
  let pairs: string;
  let names: string;
  let count: string;
  if (source.form === 'long') {
    const b = ident(source.basket);
    const i = ident(source.item);
    const where = `WHERE ${b} IS NOT NULL AND ${i} IS NOT NULL`;
    pairs = `SELECT (dense_rank() OVER (ORDER BY ${b}) - 1)::INTEGER AS b, (dense_rank() OVER (ORDER BY ${i}::VARCHAR) - 1)::INTEGER AS i FROM ${t} ${where}`;
    names = `SELECT DISTINCT ${i}::VARCHAR AS name FROM ${t} ${where} ORDER BY 1`;
    count = `SELECT count(DISTINCT ${b})::BIGINT AS n FROM ${t} ${where}`;
  } else {
    if (source.items.length === 0) throw new AppError('invalid-argument', 'Choose the 0/1 item columns of the wide table.');
    const numbered = `(SELECT row_number() OVER (ORDER BY rowid) - 1 AS __b, * FROM ${t})`;
    pairs = source.items.map((c, j) => `SELECT __b::INTEGER AS b, ${j}::INTEGER AS i FROM ${numbered} WHERE ${ident(c)}::DOUBLE > 0`).join(' UNION ALL ');
    names = '';
    count = `SELECT count(*)::BIGINT AS n FROM ${t}`;
  }
  const n = Number((await db.query(count)).get(0)!.toJSON().n);
  const itemNames = source.form === 'long' ? (await db.query(names)).toArray().map((r) => String(r.toJSON().name)) : [...source.items];
  const { basketIds, itemIds } = await readPairs(db, pairs);
  if (basketIds.length === 0) throw new AppError('invalid-argument', `${source.table} has no baskets with items in the chosen columns.`);
  return { transactions: transactionsFromPairs(basketIds, itemIds, n), itemNames, baskets: n, lines: basketIds.length };
}

/** Rows per page when basket lines cross from DuckDB: each page is decoded in a short task of its own. */
const PAGE_ROWS = 16_384;
const PAIRS = '__clientele_pairs';

/**
 * Runs the (basket, item) query into a temporary table, then reads it back a page of rowids at a
 * time, so a large result never arrives as one Arrow decode that holds the main thread.
 */
async function readPairs(db: DbConnector, pairs: string): Promise<{ basketIds: Int32Array; itemIds: Int32Array }> {
  await db.query(`CREATE OR REPLACE TEMP TABLE ${PAIRS} AS ${pairs}`);
  try {
    const total = Number((await db.query(`SELECT count(*)::BIGINT AS n FROM ${PAIRS}`)).get(0)!.toJSON().n);
    const basketIds = new Int32Array(total);
    const itemIds = new Int32Array(total);
    for (let from = 0; from < total; from += PAGE_ROWS) {
      const page = await queryColumns(db, `SELECT b, i FROM ${PAIRS} WHERE rowid >= ${from} AND rowid < ${from + PAGE_ROWS} ORDER BY rowid`, 2);
      basketIds.set(page.getChildAt(0)!.toArray() as Int32Array, from);
      itemIds.set(page.getChildAt(1)!.toArray() as Int32Array, from);
    }
    return { basketIds, itemIds };
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${PAIRS}`);
  }
}
