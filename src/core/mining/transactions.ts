import { AppError } from '../errors';

/** Largest item id accepted: ids index dense count arrays, so they should be dictionary codes. */
export const MAX_ITEM_ID = 1 << 24;

/**
 * Market baskets in compressed sparse row form: basket t holds `items[offsets[t] ..
 * offsets[t + 1])`. Items are non-negative integer ids (dictionary codes of product names, say
 * from DuckDB's `dense_rank()`); a repeated id in one basket counts once. Empty baskets are
 * allowed and count toward the number of transactions N.
 */
export interface Transactions {
  /** Length N + 1, non-decreasing, from 0 to items.length. */
  offsets: Int32Array;
  /** Item ids, basket after basket. */
  items: Int32Array;
}

/** Builds {@link Transactions} from arrays of item ids (for tests and small inputs). */
export function transactionsFromArrays(baskets: readonly (readonly number[])[]): Transactions {
  const offsets = new Int32Array(baskets.length + 1);
  let total = 0;
  baskets.forEach((b, t) => {
    total += b.length;
    offsets[t + 1] = total;
  });
  const items = new Int32Array(total);
  baskets.forEach((b, t) => items.set(b, offsets[t]));
  return { offsets, items };
}

/**
 * Builds {@link Transactions} from order lines: parallel arrays of basket ids and item ids (any
 * order, e.g. straight from a DuckDB query). Basket ids are dense codes 0..baskets-1; `baskets`
 * (default: largest id + 1) lets baskets without lines count as empty transactions.
 */
export function transactionsFromPairs(basketIds: Int32Array, itemIds: Int32Array, baskets?: number): Transactions {
  if (basketIds.length !== itemIds.length) {
    throw new AppError('invalid-argument', `baskets: ${basketIds.length} basket ids but ${itemIds.length} item ids.`);
  }
  let n = baskets ?? 0;
  for (let i = 0; i < basketIds.length; i++) {
    const b = basketIds[i];
    if (b < 0) throw new AppError('invalid-argument', `baskets: basket id ${b} on line ${i + 1} is negative.`);
    if (baskets === undefined) n = Math.max(n, b + 1);
    else if (b >= baskets) throw new AppError('invalid-argument', `baskets: basket id ${b} is not below ${baskets}.`);
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < basketIds.length; i++) offsets[basketIds[i] + 1]++;
  for (let t = 0; t < n; t++) offsets[t + 1] += offsets[t];
  const fill = offsets.slice(0, n);
  const items = new Int32Array(itemIds.length);
  for (let i = 0; i < basketIds.length; i++) items[fill[basketIds[i]]++] = itemIds[i];
  return { offsets, items };
}

/**
 * Checks the CSR shape and the item ids; returns the largest item id (−1 when there are no
 * items). Throws AppError 'invalid-argument' naming the first problem.
 */
export function checkTransactions(tx: Transactions): number {
  const { offsets, items } = tx;
  const n = offsets.length - 1;
  if (n < 0 || offsets[0] !== 0 || offsets[n] !== items.length) {
    throw new AppError(
      'invalid-argument',
      `baskets: offsets must run from 0 to the number of items (${items.length}); got ${offsets[0]}..${offsets[n]}.`,
    );
  }
  for (let t = 0; t < n; t++) {
    if (offsets[t + 1] < offsets[t]) {
      throw new AppError('invalid-argument', `baskets: offsets decrease at basket ${t + 1}.`);
    }
  }
  let maxId = -1;
  for (let i = 0; i < items.length; i++) {
    const id = items[i];
    if (id < 0 || id >= MAX_ITEM_ID) {
      throw new AppError(
        'invalid-argument',
        `baskets: item id ${id} is out of range 0..${MAX_ITEM_ID - 1}; encode items as dense codes first.`,
      );
    }
    if (id > maxId) maxId = id;
  }
  return maxId;
}
