import { jsonToIPC, ndjsonToIPC } from './json';
import { parquetToIPC } from './parquet';
import { encodeParquet } from './parquet-write';
import { xlsxToIPC } from './xlsx';
import { columnsToIPC } from './arrow-build';
import { generateCrmDemo } from '../generate/crm-demo';
import type { IngestApi, ParsedTable } from '../../shared/ingest-api';

async function bytesOf(file: Blob | Uint8Array): Promise<Uint8Array> {
  return file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
}

/** Decodes text as UTF-8, falling back to Latin-1 when the bytes are not valid UTF-8. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/**
 * The IngestApi implemented in-process. The ingest worker exposes exactly this object; Node tests
 * call it directly (the worker adds nothing but the thread).
 */
export const localIngest: IngestApi = {
  async parquet(file, fileName): Promise<ParsedTable> {
    const ipc = await parquetToIPC(await bytesOf(file), fileName);
    return { ipc, rows: -1, renamed: [] };
  },
  async json(file, fileName, ndjson): Promise<ParsedTable> {
    const text = decodeText(await bytesOf(file));
    return ndjson ? ndjsonToIPC(text, fileName) : jsonToIPC(text, fileName);
  },
  async xlsx(file, fileName) {
    return xlsxToIPC(await bytesOf(file), fileName);
  },
  async demo(seed) {
    const demo = generateCrmDemo({ seed });
    return [
      { name: 'customers', ipc: columnsToIPC(demo.customers) },
      { name: 'orders', ipc: columnsToIPC(demo.orders) },
      { name: 'order_lines', ipc: columnsToIPC(demo.orderLines) },
      { name: 'feedback', ipc: columnsToIPC(demo.feedback) },
    ];
  },
  parquetWrite: encodeParquet,
};
