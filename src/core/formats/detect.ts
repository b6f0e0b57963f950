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
  /**
   * Why the file is refused before parsing: encrypted Office file, legacy .xls, binary data, 0 bytes,
   * a zip archive that is not a workbook, or text that is not a table (a web page, an XML document).
   */
  problem?: 'encrypted' | 'legacy-xls' | 'binary' | 'empty' | 'zip-not-xlsx' | 'not-tabular';
  /** What the file really is, in the analyst's words, when the bytes say so ("a PNG image"). */
  detail?: string;
}

/** Signatures of common non-table files, so a renamed one gets named in the message. */
const KNOWN_BINARY: { magic: number[]; what: string }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { magic: [0x1f, 0x8b], what: 'a gzip-compressed file (decompress it first)' },
  { magic: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file (decompress it first)' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd-compressed file (decompress it first)' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive (extract it first)' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive (extract it first)' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF executable)' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'an SQLite database (export its tables as CSV)' },
  { magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow IPC file (export it as Parquet or CSV)' },
];

/** ASCII text of `bytes`, lower-cased, for looking for names inside a container's head. */
function asciiOf(bytes: Uint8Array, max = 65536): string {
  let s = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The UTF-16LE bytes of an ASCII name, as CFB directory entries store stream names. */
function utf16Name(name: string): string {
  return [...name].map((c) => `${c}\0`).join('');
}

/** Decides the format from the name and the first bytes (64 KiB is plenty). */
export function detectFormat(name: string, head: Uint8Array, size: number): Detection {
  const ext = (name.match(/\.([^.]+)$/)?.[1] ?? '').toLowerCase();
  if (size === 0) return { format: null, problem: 'empty' };
  if (startsWith(head, PARQUET_MAGIC)) return { format: 'parquet' };
  if (startsWith(head, CFB_MAGIC)) {
    // An OLE2 compound file: Office wraps a password-protected .xlsx in one (streams
    // EncryptionInfo + EncryptedPackage); Excel 97–2003 .xls files are one too.
    const text = asciiOf(head);
    if (text.includes(utf16Name('EncryptedPackage')) || ext === 'xlsx' || ext === 'xlsm') return { format: null, problem: 'encrypted' };
    if (ext === 'xls' || text.includes(utf16Name('Workbook')) || text.includes(utf16Name('Book'))) return { format: null, problem: 'legacy-xls' };
    return { format: null, problem: 'binary', detail: 'an older Microsoft Office document (OLE2 compound file)' };
  }
  if (startsWith(head, ZIP_MAGIC)) {
    // A workbook renamed to .csv is still a workbook: its zip holds xl/ parts.
    if (ext === 'xlsx' || ext === 'xlsm' || asciiOf(head, 4096).includes('xl/')) return { format: 'xlsx' };
    return { format: null, problem: 'zip-not-xlsx' };
  }
  if (ext === 'parquet' || ext === 'xlsx') {
    // Named like a binary format but lacks its magic bytes: its reader says what it is instead.
    return { format: ext };
  }
  const known = KNOWN_BINARY.find((k) => startsWith(head, k.magic));
  if (known) return { format: null, problem: 'binary', detail: known.what };
  if (looksLikeBomlessUtf16(head)) return { format: null, problem: 'binary', detail: 'UTF-16 text without a byte-order mark (re-save it as UTF-8)' };
  if (looksBinary(head)) return { format: null, problem: 'binary' };
  const start = new TextDecoder().decode(head.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return { format: null, problem: 'not-tabular', detail: 'an HTML web page' };
  if (start.startsWith('<?xml')) return { format: null, problem: 'not-tabular', detail: 'an XML document' };
  if (ext === 'ndjson' || ext === 'jsonl') return { format: 'ndjson' };
  if (ext === 'json') return { format: looksLikeNdjson(head) ? 'ndjson' : 'json' };
  return { format: 'csv' };
}

/**
 * True when the bytes are not text: many NUL bytes (UTF-16 with a BOM aside), or many control
 * characters. A text file in any 8-bit encoding has almost none; a stray NUL or two in an export
 * is left for the CSV reader to report by line rather than refusing the whole file.
 */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  if (n === 0) return false;
  // UTF-16 text has a BOM and NULs in every other byte; DuckDB reads it with encoding='utf-16'.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) nul++;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return nul / n > 0.01 || control / n > 0.05;
}

/** True when the bytes look like UTF-16 text without a byte-order mark (a NUL beside each ASCII letter). */
export function looksLikeBomlessUtf16(head: Uint8Array): boolean {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8 || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  return (oddNul / pairs > 0.8 && evenNul / pairs < 0.05) || (evenNul / pairs > 0.8 && oddNul / pairs < 0.05);
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
