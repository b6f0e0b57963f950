/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { initParquet } from '../src/core/formats/parquet';
import { localIngest } from '../src/core/formats/parse';
import { installErrorTransfer } from '../src/shared/comlink-errors';
import type { IngestApi } from '../src/shared/ingest-api';

installErrorTransfer();

/** File parsing off the main thread: a thin layer over src/core/formats, results transferred. */
const api = {
  async parquet(file, fileName) {
    await initParquet(parquetWasm);
    const r = await localIngest.parquet(file, fileName);
    return Comlink.transfer(r, [r.ipc.buffer]);
  },
  async json(file, fileName, ndjson) {
    const r = await localIngest.json(file, fileName, ndjson);
    return Comlink.transfer(r, [r.ipc.buffer]);
  },
  async xlsx(file, fileName) {
    const sheets = await localIngest.xlsx(file, fileName);
    return Comlink.transfer(sheets, sheets.map((s) => s.ipc.buffer));
  },
  async demo(seed) {
    const tables = await localIngest.demo(seed);
    return Comlink.transfer(tables, tables.map((t) => t.ipc.buffer));
  },
  async parquetWrite(chunks, options) {
    await initParquet(parquetWasm);
    // Parts that are views into a larger buffer are copied, so each transfers its own buffer.
    const parts = (await localIngest.parquetWrite(chunks, options)).map((p) => (p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()));
    return Comlink.transfer(parts, parts.map((p) => p.buffer));
  },
} satisfies IngestApi;

Comlink.expose(api);
