import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { PRODUCTS } from '../../src/core/generate/catalog';
import { ORDERS_TABLE_COLUMNS, ORDER_CHANNELS, ORDER_PAYMENTS, createOrdersTableStream, type OrdersChunk } from '../../src/core/generate/orders-table';
import { REGIONS } from '../../src/core/generate/people';

/** Rows generated and written per chunk: bounds memory at a few MB whatever the row count. */
const CHUNK_ROWS = 50_000;

/**
 * Bump when the generator's output changes, so cached files in tests/bench/.data are rebuilt.
 */
export const ORDERS_CSV_VERSION = 1;

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Product, category, region… text is fixed per index: escape once.
const PRODUCT_FIELDS = PRODUCTS.map((p) => `${csvField(p.name)},${csvField(p.category)}`);

function chunkCsv(chunk: OrdersChunk): string {
  const lines = new Array<string>(chunk.length);
  for (let i = 0; i < chunk.length; i++) {
    const iso = new Date(chunk.orderMs[i]).toISOString();
    const region = chunk.region[i] < 0 ? '' : REGIONS[chunk.region[i]];
    const payment = chunk.payment[i] < 0 ? '' : ORDER_PAYMENTS[chunk.payment[i]];
    lines[i] =
      `${chunk.firstOrderId + i},${chunk.customerId[i]},${iso.slice(0, 10)} ${iso.slice(11, 19)},${chunk.amount[i].toFixed(2)},` +
      `${chunk.quantity[i]},${PRODUCT_FIELDS[chunk.product[i]]},${region},${ORDER_CHANNELS[chunk.channel[i]]},${payment},` +
      `${chunk.discount[i]},${chunk.returned[i] === 1 ? 'true' : 'false'}`;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the flat 12-column orders table (src/core/generate/orders-table.ts) as a CSV file with a
 * header: comma-separated, `YYYY-MM-DD HH:MM:SS` UTC timestamps, amounts with 2 decimals,
 * true/false, missing values as empty fields. Streams 50,000-row chunks, so 1,000,000 rows
 * (≈ 95 MB) never sit in memory at once. Returns the bytes written.
 */
export async function writeOrdersCsv(path: string, rows: number, seed: number): Promise<number> {
  const stream = createOrdersTableStream(rows, seed);
  const file = await open(path, 'w');
  let bytes = 0;
  try {
    const header = `${ORDERS_TABLE_COLUMNS.join(',')}\n`;
    bytes += (await file.write(header)).bytesWritten;
    for (let chunk = stream.next(CHUNK_ROWS); chunk; chunk = stream.next(CHUNK_ROWS)) {
      bytes += (await file.write(chunkCsv(chunk))).bytesWritten;
    }
  } finally {
    await file.close();
  }
  return bytes;
}

/** What a cached benchmark file was generated from. */
interface CsvMeta {
  rows: number;
  seed: number;
  version: number;
  bytes: number;
}

/**
 * The path of the orders CSV for (rows, seed) under `dir`, generating it only when no file made
 * by the same generator version, size and seed is there yet (written to a temporary name first,
 * so an interrupted run never leaves a half file to reuse).
 */
export async function ensureOrdersCsv(dir: string, rows: number, seed: number, log: (msg: string) => void = () => {}): Promise<{ path: string; bytes: number; generated: boolean }> {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `orders-${rows}-seed${seed}`);
  const path = `${base}.csv`;
  const metaPath = `${base}.json`;
  const want = { rows, seed, version: ORDERS_CSV_VERSION };
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CsvMeta;
    if (meta.rows === rows && meta.seed === seed && meta.version === ORDERS_CSV_VERSION && statSync(path).size === meta.bytes) {
      return { path, bytes: meta.bytes, generated: false };
    }
  }
  log(`generating ${rows.toLocaleString('en-US')} orders rows (seed ${seed}) into ${path}…`);
  const tmp = `${path}.tmp`;
  const bytes = await writeOrdersCsv(tmp, rows, seed);
  await rename(tmp, path);
  writeFileSync(metaPath, JSON.stringify({ ...want, bytes } satisfies CsvMeta));
  return { path, bytes, generated: true };
}
