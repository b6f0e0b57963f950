import { AppError } from '../errors';
import type { ValueColumn } from '../formats/arrow-build';
import type { Rng } from '../random';
import { CATEGORY_WEIGHTS, PRODUCTS, pickByPopularity, pickWeighted } from './catalog';
import { REGIONS } from './people';
import { streamRng } from './streams';

/**
 * A flat, denormalised orders table (one product per row), the shape of a typical e-commerce
 * export, for benchmarks at any size. Rows come in chunks from one sequential generator, so the
 * output depends only on (rows, seed), never on the chunk size, and 1,000,000 rows never have to
 * sit in memory at once.
 */

/** The 12 columns, in file order. */
export const ORDERS_TABLE_COLUMNS = [
  'order_id', 'customer_id', 'order_date', 'amount', 'quantity', 'product',
  'category', 'region', 'channel', 'payment', 'discount', 'returned',
] as const;

/** Sales channels (index = OrdersChunk.channel). */
export const ORDER_CHANNELS: readonly string[] = ['web', 'app', 'store', 'phone'];
/** Payment methods (index = OrdersChunk.payment; −1 is a missing value). */
export const ORDER_PAYMENTS: readonly string[] = ['card', 'paypal', 'gift card', 'apple pay', 'cash', 'bank transfer'];
/** Discount rates offered (fractions of the list price). */
export const DISCOUNTS: readonly number[] = [0, 0.05, 0.1, 0.15, 0.2, 0.3];

const DISCOUNT_WEIGHTS = [62, 10, 12, 6, 6, 4];
const CHANNEL_WEIGHTS = [45, 25, 24, 6];
// Payment weights per channel, over ORDER_PAYMENTS.
const PAYMENT_WEIGHTS = [
  [60, 30, 10, 0, 0, 0],
  [45, 25, 0, 30, 0, 0],
  [70, 0, 0, 0, 30, 0],
  [75, 0, 0, 0, 0, 25],
];
// Busier hours of the day (0–23), relative.
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 4, 5, 5.5, 6, 5.5, 5, 5, 5.5, 6, 7, 8, 8, 6.5, 4, 2];
const WINDOW_START = Date.UTC(2023, 0, 1);
const WINDOW_DAYS = 731;
const DAY_MS = 86_400_000;

/** A block of generated rows as typed columns; indices refer to PRODUCTS, REGIONS, ORDER_*. */
export interface OrdersChunk {
  /** order_id of the first row (ids are consecutive from 1). */
  firstOrderId: number;
  length: number;
  customerId: Int32Array;
  /** order_date as UTC epoch milliseconds (whole seconds). */
  orderMs: Float64Array;
  /** USD: quantity × list price × (1 − discount), rounded to cents. */
  amount: Float64Array;
  quantity: Int32Array;
  product: Int16Array;
  /** Index into REGIONS, −1 when missing. */
  region: Int8Array;
  channel: Int8Array;
  /** Index into ORDER_PAYMENTS, −1 when missing. */
  payment: Int8Array;
  discount: Float64Array;
  /** 1 when the order was returned. */
  returned: Uint8Array;
}

/** A sequential source of orders rows: `next(k)` gives the next ≤ k rows, null when done. */
export interface OrdersTableStream {
  readonly rows: number;
  next(maxRows: number): OrdersChunk | null;
}

function seasonalWeight(dayMs: number): number {
  const d = new Date(dayMs);
  const month = d.getUTCMonth();
  const weekday = d.getUTCDay();
  const growth = 1 + (0.3 * (dayMs - WINDOW_START)) / (WINDOW_DAYS * DAY_MS);
  const season = month === 10 ? 1.35 : month === 11 ? 1.6 : month === 0 ? 0.85 : 1;
  return growth * season * (weekday === 0 || weekday === 6 ? 1.15 : 1);
}
const MAX_SEASONAL = 1.3 * 1.6 * 1.15;

function orderTime(rng: Rng): number {
  // Rejection sampling on the day's weight: growth over the two years, a Nov–Dec peak, busier weekends.
  let day: number;
  do day = WINDOW_START + rng.int(WINDOW_DAYS) * DAY_MS;
  while (rng.next() * MAX_SEASONAL > seasonalWeight(day));
  const hour = pickWeighted(HOUR_WEIGHTS, rng.next());
  return day + hour * 3_600_000 + rng.int(3600) * 1000;
}

function regionOf(customer: number): number {
  // A customer's region is fixed: a hash of the id split 30/25/25/20 like the CRM demo.
  const h = (Math.imul(customer, 2654435761) >>> 0) % 100;
  return h < 30 ? 0 : h < 55 ? 1 : h < 80 ? 2 : 3;
}

/**
 * Starts a generator of `rows` orders, 2023-01-01 to 2024-12-31 (UTC). Distributions: customers
 * (rows/12 of them) skewed so low ids buy most (id = 1 + ⌊n·u²⌋); dates weighted by growth,
 * a Nov–Dec peak and weekends, hours by a daily curve; products by category weight and
 * popularity; quantity 1 + Poisson(1.5) under $3, 1 + Poisson(0.4) under $10, else mostly 1;
 * discount 0 in 62% of rows, else 5–30%; returned 3% (7% electronics, 5% home & kitchen);
 * region fixed per customer, missing in 0.5% of rows; payment missing in 0.3%.
 */
export function createOrdersTableStream(rows: number, seed: number): OrdersTableStream {
  if (!Number.isInteger(rows) || rows < 0) throw new AppError('invalid-argument', `rows must be a whole number ≥ 0, not ${rows}.`);
  const rng = streamRng(seed, 101);
  const customers = Math.max(50, Math.round(rows / 12));
  let produced = 0;
  return {
    rows,
    next(maxRows) {
      const length = Math.min(maxRows, rows - produced);
      if (length <= 0) return null;
      const chunk: OrdersChunk = {
        firstOrderId: produced + 1,
        length,
        customerId: new Int32Array(length),
        orderMs: new Float64Array(length),
        amount: new Float64Array(length),
        quantity: new Int32Array(length),
        product: new Int16Array(length),
        region: new Int8Array(length),
        channel: new Int8Array(length),
        payment: new Int8Array(length),
        discount: new Float64Array(length),
        returned: new Uint8Array(length),
      };
      for (let i = 0; i < length; i++) {
        const u = rng.next();
        const customer = 1 + Math.floor(customers * u * u);
        const product = PRODUCTS[pickByPopularity(pickWeighted(CATEGORY_WEIGHTS, rng.next()), rng.next())];
        const quantity = product.price < 3 ? 1 + rng.poisson(1.5) : product.price < 10 ? 1 + rng.poisson(0.4) : rng.next() < 0.05 ? 2 : 1;
        const discount = DISCOUNTS[pickWeighted(DISCOUNT_WEIGHTS, rng.next())];
        const channel = pickWeighted(CHANNEL_WEIGHTS, rng.next());
        const returnRate = product.category === 'Electronics' ? 0.07 : product.category === 'Home & Kitchen' ? 0.05 : 0.03;
        chunk.customerId[i] = customer;
        chunk.orderMs[i] = orderTime(rng);
        chunk.quantity[i] = quantity;
        chunk.product[i] = product.index;
        chunk.discount[i] = discount;
        chunk.amount[i] = Math.round(quantity * product.price * (1 - discount) * 100) / 100;
        chunk.region[i] = rng.next() < 0.005 ? -1 : regionOf(customer);
        chunk.channel[i] = channel;
        chunk.payment[i] = rng.next() < 0.003 ? -1 : pickWeighted(PAYMENT_WEIGHTS[channel], rng.next());
        chunk.returned[i] = rng.next() < returnRate ? 1 : 0;
      }
      produced += length;
      return chunk;
    },
  };
}

/** A chunk as value columns (dates as Date, missing values as null), in ORDERS_TABLE_COLUMNS order. */
export function ordersChunkColumns(chunk: OrdersChunk): ValueColumn[] {
  const idx = Array.from({ length: chunk.length }, (_, i) => i);
  const pick = <T>(f: (i: number) => T): T[] => idx.map(f);
  return [
    { name: 'order_id', values: pick((i) => chunk.firstOrderId + i) },
    { name: 'customer_id', values: pick((i) => chunk.customerId[i]) },
    { name: 'order_date', values: pick((i) => new Date(chunk.orderMs[i])) },
    { name: 'amount', values: pick((i) => chunk.amount[i]) },
    { name: 'quantity', values: pick((i) => chunk.quantity[i]) },
    { name: 'product', values: pick((i) => PRODUCTS[chunk.product[i]].name) },
    { name: 'category', values: pick((i) => PRODUCTS[chunk.product[i]].category) },
    { name: 'region', values: pick((i) => (chunk.region[i] < 0 ? null : REGIONS[chunk.region[i]])) },
    { name: 'channel', values: pick((i) => ORDER_CHANNELS[chunk.channel[i]]) },
    { name: 'payment', values: pick((i) => (chunk.payment[i] < 0 ? null : ORDER_PAYMENTS[chunk.payment[i]])) },
    { name: 'discount', values: pick((i) => chunk.discount[i]) },
    { name: 'returned', values: pick((i) => chunk.returned[i] === 1) },
  ];
}

/**
 * A flat 12-column orders table of `rows` rows (see {@link createOrdersTableStream} for the
 * distributions), all in memory; for large files use the stream (tests/bench/orders-csv.ts).
 */
export function generateOrdersTable(rows: number, seed: number): ValueColumn[] {
  const chunk = createOrdersTableStream(rows, seed).next(rows);
  if (!chunk) return ORDERS_TABLE_COLUMNS.map((name) => ({ name, values: [] }));
  return ordersChunkColumns(chunk);
}
