import { AppError } from '../../core/errors';
import type { DbConnector } from './connector';
import { shortDuckMessage } from './query-error';
import { ident, literal, literalList } from './sql';

/** How a delimited text file is read. Every field can be edited by the analyst and reloaded. */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  encoding: 'utf-8' | 'latin-1' | 'utf-16';
  /** strptime format for DATE columns, '' for auto. */
  dateFormat: string;
  /** strptime format for TIMESTAMP columns, '' for auto. */
  timestampFormat: string;
  /** Lines skipped before the header. */
  skip: number;
  /** Longest allowed line in bytes (DuckDB's max_line_size). */
  maxLineSize: number;
  /** Column name → DuckDB type, as sniffed or overridden. */
  types: Record<string, string>;
}

/** Options chosen when loading, beyond the dialect. */
export interface CsvLoadOptions {
  /** Load the good rows and report the bad ones (DuckDB's store_rejects) instead of failing. */
  skipBadRows?: boolean;
  /** Dialect fields the analyst set by hand; anything absent is auto-detected. */
  dialect?: Partial<CsvDialect>;
}

/** A line DuckDB could not load, with its reason. */
export interface RejectedLine {
  line: number;
  column: string | null;
  kind: string;
  text: string;
  message: string;
}

const DEFAULT_MAX_LINE = 2_097_152;

function showChar(c: string): string {
  return c === '\t' ? '\\t' : c;
}

/** The read_csv(...) parameter list for a dialect: only what is set, DuckDB sniffs the rest. */
export function csvOptionsSql(d: Partial<CsvDialect>, extra: string[] = []): string {
  const opts: string[] = [];
  if (d.encoding && d.encoding !== 'utf-8') opts.push(`encoding = ${literal(d.encoding)}`);
  if (d.delimiter) opts.push(`delim = ${literal(d.delimiter)}`);
  if (d.quote !== undefined && d.quote !== '') opts.push(`quote = ${literal(d.quote)}`);
  if (d.escape !== undefined && d.escape !== '') opts.push(`escape = ${literal(d.escape)}`);
  if (d.header !== undefined) opts.push(`header = ${d.header}`);
  if (d.dateFormat) opts.push(`dateformat = ${literal(d.dateFormat)}`);
  if (d.timestampFormat) opts.push(`timestampformat = ${literal(d.timestampFormat)}`);
  if (d.skip) opts.push(`skip = ${Math.max(0, Math.floor(d.skip))}`);
  if (d.maxLineSize && d.maxLineSize !== DEFAULT_MAX_LINE) opts.push(`max_line_size = ${Math.floor(d.maxLineSize)}`);
  if (d.types && Object.keys(d.types).length > 0) {
    const entries = Object.entries(d.types).map(([k, v]) => `${literal(k)}: ${literal(v)}`);
    opts.push(`types = {${entries.join(', ')}}`);
  }
  return [...opts, ...extra].join(', ');
}

/** Runs DuckDB's CSV sniffer on a registered file and returns the dialect it found. */
export async function sniffCsv(db: DbConnector, fileName: string, hint: Partial<CsvDialect>, displayName = fileName): Promise<CsvDialect> {
  const opts = csvOptionsSql({ encoding: hint.encoding, delimiter: hint.delimiter, quote: hint.quote, header: hint.header, skip: hint.skip, maxLineSize: hint.maxLineSize });
  const sql = `SELECT * FROM sniff_csv(${literal(fileName)}${opts ? `, ${opts}` : ''})`;
  let row: Record<string, unknown>;
  try {
    const t = await db.query(sql);
    row = t.get(0)?.toJSON() as Record<string, unknown>;
  } catch (err) {
    throw explainCsvError(err, displayName);
  }
  const columns = (row.Columns as { toArray(): { name: string; type: string }[] }).toArray();
  const types: Record<string, string> = {};
  for (const c of columns) types[String(c.name)] = String(c.type);
  const clean = (v: unknown) => (v === null || v === undefined || v === '(empty)' ? '' : String(v));
  return {
    delimiter: clean(row.Delimiter) || ',',
    quote: clean(row.Quote),
    escape: clean(row.Escape),
    header: Boolean(row.HasHeader),
    encoding: hint.encoding ?? 'utf-8',
    dateFormat: clean(row.DateFormat),
    timestampFormat: clean(row.TimestampFormat),
    skip: Number(row.SkipRows ?? 0),
    maxLineSize: hint.maxLineSize ?? DEFAULT_MAX_LINE,
    types,
  };
}

/** `CREATE TABLE name AS SELECT * FROM read_csv([...files], options)`. */
export function createTableFromCsvSql(table: string, files: string[], d: Partial<CsvDialect>, skipBadRows: boolean): string {
  const extra = [];
  if (files.length > 1) extra.push('union_by_name = true');
  if (skipBadRows) extra.push('store_rejects = true');
  const opts = csvOptionsSql(d, extra);
  const source = files.length === 1 ? literal(files[0]) : literalList(files);
  return `CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${source}${opts ? `, ${opts}` : ''})`;
}

/** The lines the last store_rejects scan refused (at most `limit`), and how many in all. */
export async function lastRejects(db: DbConnector, limit = 200): Promise<{ total: number; lines: RejectedLine[] }> {
  const scan = `(SELECT max(scan_id) FROM reject_scans)`;
  const total = await db.query(`SELECT count(DISTINCT (file_id, line))::INTEGER AS n FROM reject_errors WHERE scan_id = ${scan}`);
  const rows = await db.query(
    `SELECT line::BIGINT AS line, column_name, error_type, csv_line, error_message FROM reject_errors ` +
      `WHERE scan_id = ${scan} ORDER BY line LIMIT ${limit}`,
  );
  return {
    total: Number(total.get(0)?.toJSON().n ?? 0),
    lines: rows.toArray().map((r) => {
      const o = r.toJSON();
      return {
        line: Number(o.line),
        column: o.column_name == null ? null : String(o.column_name),
        kind: String(o.error_type),
        text: String(o.csv_line ?? ''),
        message: String(o.error_message ?? ''),
      };
    }),
  };
}

const SKIP_HINT = 'or choose "Load, skipping bad rows" to load the rest and see the rejected lines';

/**
 * Turns DuckDB's CSV error into a message that names the file, the line and what to do.
 * DuckDB's own text stays in `cause` (and is appended, shortened, for the curious).
 */
export function explainCsvError(err: unknown, fileName: string): AppError {
  const raw = err instanceof Error ? err.message : String(err);
  const lineMatch = raw.match(/CSV Error on Line: (\d+)/) ?? raw.match(/[Ll]ine:? (\d+)/);
  const line = lineMatch ? Number(lineMatch[1]) : undefined;
  const at = line ? `line ${line}` : 'a line';
  const original = raw.match(/Original Line: (.*)/)?.[1]?.slice(0, 120);
  const colMatch = raw.match(/converting column "([^"]+)"/) ?? raw.match(/[Cc]olumn "?([^"\n]+?)"? (?:with|is)/);
  const column = colMatch?.[1];
  const shown = original ? ` (${JSON.stringify(original)})` : '';
  let what: string;
  let code: 'bad-input' | 'too-large' = 'bad-input';
  if (/Expected Number of Columns: (\d+) Found: (\d+)/.test(raw)) {
    const [, want, got] = raw.match(/Expected Number of Columns: (\d+) Found: (\d+)/)!;
    what = `${at} has ${got} fields where the header has ${want}${shown}. Fix the row, check the delimiter, ${SKIP_HINT}.`;
  } else if (/unterminated quote/i.test(raw)) {
    what = `${at} opens a quote that never closes${shown}. Fix the quote, set Quote to none if the file does not quote fields, ${SKIP_HINT}.`;
  } else if (/Could not convert string "([^"]*)" to '([^']+)'/.test(raw)) {
    const [, value, type] = raw.match(/Could not convert string "([^"]*)" to '([^']+)'/)!;
    what = `${at}: the value ${JSON.stringify(value.slice(0, 60))} in column ${column ?? '?'} is not a ${type}, unlike the rows above it. Set that column's type to VARCHAR in the dialect, ${SKIP_HINT}.`;
  } else if (/Invalid unicode|not utf-8 encoded|not latin-1 encoded/i.test(raw)) {
    what = `${at} is not valid text in the chosen encoding (the file may mix encodings). Choose the Latin-1 encoding and reload, ${SKIP_HINT}.`;
  } else if (/Maximum line size/i.test(raw)) {
    code = 'too-large';
    what = `${at} is longer than the maximum line size. If that long field is real data, raise "Max line size" in the dialect and reload; otherwise the file may lack line breaks.`;
  } else if (/not possible to automatically detect|Error when sniffing/i.test(raw)) {
    what = 'could not be read as delimited text: no delimiter, quote and header combination fits it. Check that it is a CSV/TSV file, or set the delimiter and quote by hand.';
  } else if (/No files found|does not exist/i.test(raw)) {
    what = 'is no longer available to the engine. Open the file again.';
  } else {
    what = `${at} could not be read: ${shortDuckMessage(raw).replace(/^[A-Za-z ]+Error: /, '').split('\n')[0].slice(0, 200)}. Check the dialect, ${SKIP_HINT}.`;
  }
  return new AppError(code, `${fileName}: ${what}`, { cause: err, file: fileName, line, column });
}

/** Shows a dialect value for the analyst: tabs as \t, blank as "none". */
export function describeDelimiter(d: string): string {
  return d ? showChar(d) : 'none';
}
