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

const PAR1 = [0x50, 0x41, 0x52, 0x31];

function hasMagicAt(bytes: Uint8Array, offset: number): boolean {
  return offset >= 0 && offset + 4 <= bytes.length && PAR1.every((b, i) => bytes[offset + i] === b);
}

/** Refuses bytes that cannot be Parquet before the reader sees them; returns nothing when they may be. */
function checkFrame(bytes: Uint8Array, fileName: string): void {
  const head = hasMagicAt(bytes, 0);
  const foot = bytes.length >= 12 && hasMagicAt(bytes, bytes.length - 4);
  if (!head && !foot) {
    const text = bytes.subarray(0, 512).every((b) => b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x20);
    throw new AppError(
      'bad-input',
      `${fileName} is not a Parquet file: it has neither the "PAR1" signature that starts nor the one that ends every Parquet file` +
        (text ? ' (it holds text: if it is a CSV or JSON file, rename it to .csv or .json and load it again).' : '. Export the data again as Parquet or CSV.'),
      { file: fileName },
    );
  }
  if (!foot) {
    throw new AppError(
      'bad-input',
      `${fileName} is truncated: it starts like Parquet but its footer (the "PAR1" ending that describes the columns) is missing, ` +
        'so the copy or download stopped early. Copy or export the file again and load the complete file.',
      { file: fileName },
    );
  }
  // A footer without the leading signature: damaged, but the reader (footer first) says how.
}

/**
 * Parquet bytes → Arrow IPC stream bytes (types preserved by the Rust arrow/parquet crates).
 * A damaged file is refused with an AppError naming it. A file that makes the reader itself trap
 * (a wasm `RuntimeError`, e.g. "unreachable" after a Rust panic) gets code 'engine-crashed': the
 * reader's memory may be left inconsistent, so the worker that hosts it should be restarted.
 */
export async function parquetToIPC(bytes: Uint8Array, fileName: string): Promise<Uint8Array> {
  if (!ready) throw new AppError('invalid-argument', 'The Parquet reader was not initialised (call initParquet first).');
  await ready;
  checkFrame(bytes, fileName);
  try {
    const table = readParquet(bytes);
    return table.intoIPCStream();
  } catch (err) {
    const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/^(Parquet (argument )?error: )+/i, '').slice(0, 200);
    const trapped = err instanceof WebAssembly.RuntimeError;
    throw new AppError(
      trapped ? 'engine-crashed' : 'bad-input',
      `${fileName} is a damaged Parquet file: ${trapped ? 'the Parquet reader stopped on it' : 'its contents do not match its own description'} (${detail}). ` +
        'Export it again from its source, or load a CSV copy.',
      { cause: err, file: fileName },
    );
  }
}
