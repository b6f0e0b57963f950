import { AppError } from '../../core/errors';
import { dedupeColumnNames } from '../../core/formats/arrow-build';
import type { DbConnector } from './connector';
import { DEFAULT_MAX_LINE, sniffCsvSpec, type CsvDialect, type CsvSpec } from './csv';

/** The first line of a file read as a header: its likely delimiter, quote and field names. */
export interface HeaderGuess {
  delimiter: string;
  /** '"' when the file's head holds double quotes, '' otherwise. */
  quote: string;
  fields: string[];
}

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];

/** The head decoded for a look at its first lines (UTF-16 is left to DuckDB). */
function decodeHead(head: Uint8Array, encoding: CsvDialect['encoding']): string | null {
  if (encoding === 'utf-16') return null;
  const text = new TextDecoder(encoding === 'latin-1' ? 'latin1' : 'utf-8').decode(head);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits one line at `delimiter`, honouring `quote` (doubled quotes inside quoted fields). */
function splitLine(line: string, delimiter: string, quote: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote && c === quote) {
      if (quoted && line[i + 1] === quote) {
        cur += c;
        i++;
      } else quoted = !quoted;
    } else if (c === delimiter && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Reads the header line of a delimited file from its head: the candidate delimiter that occurs
 * most in it, and the names it separates. Null when the line has no candidate delimiter (a
 * one-column file), when the head is not text, or when the analyst set `skip`.
 */
export function guessHeaderLine(head: Uint8Array, encoding: CsvDialect['encoding'], user: Partial<CsvDialect> = {}): HeaderGuess | null {
  if (user.skip) return null;
  const text = decodeHead(head.subarray(0, 65536), encoding);
  if (text === null) return null;
  const first = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '');
  if (!first) return null;
  const quote = user.quote ?? (text.includes('"') ? '"' : '');
  const counts = DELIMITER_CANDIDATES.map((d) => splitLine(first, d, quote).length - 1);
  const best = counts.indexOf(Math.max(...counts));
  const delimiter = user.delimiter ?? DELIMITER_CANDIDATES[best];
  const fields = splitLine(first, delimiter, quote);
  return fields.length >= 2 ? { delimiter, quote, fields } : null;
}

/**
 * True when the head holds a line over 32 KiB (or is one unfinished line). DuckDB's unguided
 * sniffer tries dozens of dialects and rescans such a line for each (a 50 MB field takes over a
 * minute to refuse); told the delimiter and quote, it answers in seconds.
 */
export function hasLongLine(head: Uint8Array): boolean {
  let start = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] === 0x0a || head[i] === 0x0d) {
      if (i - start > 32768) return true;
      start = i + 1;
    }
  }
  return head.length - start > 32768;
}

/** The dialect a CSV load will use, and whether it must be read fully specified. */
export interface ChosenSpec {
  spec: CsvSpec;
  /** The spec was found with help (header line, long-line hints): DuckDB must not re-sniff. */
  guided: boolean;
  /** The sniffer failed or collapsed to one column, and the header line set the layout: some lines break it. */
  repaired: boolean;
  header: HeaderGuess | null;
}

/** True when the fields read like column names: short, printable, mostly filled in. */
function looksLikeHeader(fields: string[]): boolean {
  const blank = fields.filter((f) => f.trim() === '').length;
  const printable = (f: string) => [...f].every((c) => c.charCodeAt(0) >= 0x20 || c === '\t');
  return fields.every((f) => f.length <= 100 && printable(f)) && blank * 2 < fields.length;
}

/**
 * A spec read straight off the header line: its delimiter and quote, its names (made unique as
 * DuckDB does), every column text. The last resort when the sniffer cannot settle on a dialect
 * because a bad line (an unclosed quote swallowing the rest of its sample) spoils every candidate.
 */
function headerSpec(header: HeaderGuess, encoding: CsvDialect['encoding'], user: Partial<CsvDialect>): CsvSpec {
  const hasHeader = user.header ?? true;
  const names = hasHeader ? dedupeColumnNames(header.fields.map((f) => f.trim())).names : header.fields.map((_, i) => `column${i}`);
  const types = Object.fromEntries(names.map((n) => [n, 'VARCHAR']));
  return {
    dialect: {
      delimiter: header.delimiter,
      quote: header.quote,
      escape: header.quote,
      header: hasHeader,
      encoding,
      dateFormat: '',
      timestampFormat: '',
      skip: 0,
      maxLineSize: user.maxLineSize ?? DEFAULT_MAX_LINE,
      types,
    },
    columns: names.map((name) => ({ name, type: 'VARCHAR' })),
    newLine: '',
    comment: '',
  };
}

function isMaxLineError(err: unknown): boolean {
  return err instanceof AppError && err.code === 'too-large';
}

/**
 * Finds the dialect of a registered CSV file. DuckDB's strict sniffer wants every sampled line to
 * fit one dialect, so one bad line (a ragged row, an unclosed quote) makes it settle on "one
 * column, no delimiter" and the file would load as garbage. When that happens and the header line
 * clearly has several fields, the sniffer runs again told that delimiter and quote and tolerating
 * errors; the full read then reports the bad line by number (or skips it).
 */
export async function chooseCsvSpec(
  db: DbConnector,
  engineName: string,
  file: { name: string; head: Uint8Array },
  user: Partial<CsvDialect>,
  encoding: CsvDialect['encoding'],
): Promise<ChosenSpec> {
  const header = guessHeaderLine(file.head, encoding, user);
  const base: Partial<CsvDialect> = { encoding, delimiter: user.delimiter, quote: user.quote, escape: user.escape, header: user.header, skip: user.skip, maxLineSize: user.maxLineSize };
  const longLine = hasLongLine(file.head);
  // Told the delimiter, quote and escape (standard CSV quoting unless the analyst set others),
  // the sniffer tries one dialect instead of dozens.
  const first = longLine ? { ...base, delimiter: base.delimiter ?? header?.delimiter, quote: base.quote || '"', escape: base.escape || base.quote || '"' } : base;
  let strict: CsvSpec | undefined;
  let strictError: unknown;
  try {
    strict = await sniffCsvSpec(db, engineName, first, file.name);
  } catch (err) {
    strictError = err;
  }
  if (strict && (strict.columns.length > 1 || !header)) return { spec: strict, guided: longLine, repaired: false, header };
  if (header && !isMaxLineError(strictError)) {
    try {
      const guided = await sniffCsvSpec(db, engineName, { ...base, delimiter: header.delimiter, quote: header.quote || base.quote, ignoreErrors: true }, file.name);
      if (guided.columns.length > 1) return { spec: guided, guided: true, repaired: true, header };
    } catch {
      // Even a tolerant sniff found nothing: fall back on the header line below.
    }
    if (looksLikeHeader(header.fields)) return { spec: headerSpec(header, encoding, user), guided: true, repaired: true, header };
  }
  if (strict) return { spec: strict, guided: longLine, repaired: false, header };
  throw strictError;
}

/** A note listing header names DuckDB had to change (blank or repeated), as JSON/Excel loads do. */
export function renamedHeaderNote(header: HeaderGuess | null, spec: CsvSpec): string | undefined {
  const d = spec.dialect;
  if (!header || !d.header || d.skip !== 0 || header.delimiter !== d.delimiter || header.fields.length !== spec.columns.length) return undefined;
  const renamed: string[] = [];
  header.fields.forEach((raw, i) => {
    const name = spec.columns[i].name;
    if (raw.trim() !== name) renamed.push(raw.trim() === '' ? `(blank column ${i + 1}) → ${name}` : `${raw} → ${name}`);
  });
  return renamed.length ? `Renamed columns with blank or repeated names: ${renamed.join(', ')}.` : undefined;
}
