// Writes tests/fixtures/ingest/orders.parquet with native DuckDB (@duckdb/node-api), so the
// Parquet reader is tested on a file another implementation produced. Run once; output committed.
import { DuckDBInstance } from '@duckdb/node-api';

const out = new URL('../tests/fixtures/ingest/orders.parquet', import.meta.url).pathname;
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
await conn.run(`
  COPY (
    SELECT i AS order_id,
           (i % 100) + 1 AS customer_id,
           (DATE '2024-01-01' + (i % 365)::INTEGER) AS order_date,
           round(((i * 37) % 1000) / 10.0 + 1, 2) AS amount,
           ['North', 'South', 'East', 'West'][(i % 4) + 1] AS region,
           i % 7 = 0 AS returned
    FROM range(1000) t(i)
  ) TO '${out}' (FORMAT parquet)`);
const r = await conn.runAndReadAll(`SELECT count(DISTINCT customer_id) c, round(sum(amount), 2) s, min(order_date) d FROM '${out}'`);
console.log(r.getRowObjects());
