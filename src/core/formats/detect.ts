/**
 * What kind of file an analyst dropped, from its name and its first bytes (magic numbers beat
 * extensions: a renamed file is still caught).
 */
export type SourceFormat = 'csv' | 'parquet' | 'json' | 'ndjson' | 'xlsx';

/** Bytes at the start of a file that settle its format. */
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // xlsx is a zip
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // OLE2: encrypted xlsx or legacy .xls

function startsWith(bytes: Uint8Array, magic: number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** Result of looking at a file's head. `problem` is set when the file cannot be read at all. */
export interface Detection {
  format: SourceFormat | null;
  /** Why the file is refused before parsing ('encrypted', 'legacy-xls', 'binary', 'empty'). */
  problem?: 'encrypted' | 'legacy-xls' | 'binary' | 'empty' | 'zip-not-xlsx';
}

/** Decides the format from the name and the first bytes (64 KiB is plenty). */
export function detectFormat(name: string, head: Uint8Array, size: number): Detection {
  const ext = (name.match(/\.([^.]+)$/)?.[1] ?? '').toLowerCase();
  if (size === 0) return { format: null, problem: 'empty' };
  if (startsWith(head, PARQUET_MAGIC)) return { format: 'parquet' };
  if (startsWith(head, CFB_MAGIC)) {
    return { format: null, problem: ext === 'xls' ? 'legacy-xls' : 'encrypted' };
  }
  if (startsWith(head, ZIP_MAGIC)) {
    return ext === 'xlsx' || ext === 'xlsm' ? { format: 'xlsx' } : { format: null, problem: 'zip-not-xlsx' };
  }
  if (ext === 'parquet' || ext === 'xlsx') {
    // Named like a binary format but lacks its magic bytes: let the reader say how it is broken.
    return { format: ext };
  }
  if (looksBinary(head)) return { format: null, problem: 'binary' };
  if (ext === 'ndjson' || ext === 'jsonl') return { format: 'ndjson' };
  if (ext === 'json') return { format: looksLikeNdjson(head) ? 'ndjson' : 'json' };
  return { format: 'csv' };
}

/**
 * True when the bytes are not text: NUL bytes (UTF-16 aside), or many control characters.
 * A text file in any 8-bit encoding has almost none.
 */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  if (n === 0) return false;
  // UTF-16 text has a BOM and NULs in every other byte; DuckDB reads it with encoding='utf-16'.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / n > 0.05;
}

/** True when the bytes are valid UTF-8 (a multi-byte character cut at the end is forgiven). */
export function isValidUtf8(head: Uint8Array): boolean {
  let end = head.length;
  // Step back over a trailing, possibly incomplete, multi-byte sequence.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back];
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** True when the first non-blank lines are each a complete JSON object (newline-delimited JSON). */
function looksLikeNdjson(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 4096));
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  return lines.slice(0, -1).every((l) => /^\s*\{.*\}\s*$/.test(l));
}
