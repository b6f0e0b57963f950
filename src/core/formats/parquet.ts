import init, { readParquet } from 'parquet-wasm/esm';
import { AppError } from '../errors';

let ready: Promise<unknown> | null = null;

/**
 * Loads the parquet-wasm module once. The browser passes the URL of the .wasm file served from
 * the app's own origin; Node passes the file's bytes. (DuckDB-WASM 1.32 has no built-in Parquet
 * reader and would download an extension; see README.)
 */
export function initParquet(wasm: string | URL | BufferSource): Promise<unknown> {
  ready ??= init({ module_or_path: wasm });
  return ready;
}

/** Parquet bytes → Arrow IPC stream bytes (types preserved by the Rust arrow/parquet crates). */
export async function parquetToIPC(bytes: Uint8Array, fileName: string): Promise<Uint8Array> {
  if (!ready) throw new AppError('invalid-argument', 'The Parquet reader was not initialised (call initParquet first).');
  await ready;
  try {
    const table = readParquet(bytes);
    return table.intoIPCStream();
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'bad-input',
      `${fileName} could not be read as Parquet (${detail.split('\n')[0].slice(0, 200)}). ` +
        'The file is damaged or truncated: export it again from its source, or load a CSV copy.',
      { cause: err, file: fileName },
    );
  }
}
