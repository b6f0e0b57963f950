import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { initParquet } from '../../src/core/formats/parquet';
import { createRequire } from 'node:module';
import type { IngestFile } from '../../src/services/db/ingest';
import { createNodeConnector } from '../../src/services/db/node-connector';
import type { DbConnector } from '../../src/services/db/connector';

/** A real DuckDB-WASM engine (node-blocking build), set up exactly as the app sets it up. */
export async function freshDb(): Promise<DbConnector> {
  const require = createRequire(import.meta.url);
  await initParquet(readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')));
  return createNodeConnector();
}

/** An IngestFile from bytes or a string, as the browser would build it from a File. */
export function fileOf(name: string, content: string | Uint8Array): IngestFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, size: bytes.length, source: bytes, head: bytes.subarray(0, 65536) };
}

/** An IngestFile read from disk. */
export function fileFrom(path: string, name = basename(path)): IngestFile {
  return fileOf(name, new Uint8Array(readFileSync(path)));
}

/** Rows of a query as plain objects (BigInt → Number). */
export async function rows(db: DbConnector, sql: string): Promise<Record<string, unknown>[]> {
  const t = await db.query(sql);
  return t.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });
}
