import type { DbConnector } from './connector';
import { explainCsvError } from './csv-errors';
import { ident, literal, literalList } from './sql';

export { explainCsvError, type CsvErrorContext } from './csv-errors';

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

/** DuckDB's default max_line_size (bytes), as its error messages state it. */
export const DEFAULT_MAX_LINE = 2_000_000;

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

/**
 * Everything DuckDB's sniffer found: the dialect shown to the analyst, plus what a fully specified
 * read (auto_detect = false) needs so that it reads exactly that dialect.
 */
export interface CsvSpec {
  dialect: CsvDialect;
  /** Column names (as DuckDB made them unique) and sniffed types, in file order. */
  columns: { name: string; type: string }[];
  /** Line ending as DuckDB writes it ('\\n', '\\r\\n', '\\r'), '' when it could not tell. */
  newLine: string;
  /** Comment character, '' for none. */
  comment: string;
}

/**
 * Runs DuckDB's CSV sniffer on a registered file and returns the full spec it found. With
 * `ignoreErrors` the sniffer tolerates lines that break the dialect (DuckDB's ignore_errors), so
 * a few bad rows cannot push it to a wrong one. Failures are explained (file, what to do).
 */
export async function sniffCsvSpec(
  db: DbConnector,
  fileName: string,
  hint: Partial<CsvDialect> & { ignoreErrors?: boolean },
  displayName = fileName,
): Promise<CsvSpec> {
  const opts = csvOptionsSql(
    { encoding: hint.encoding, delimiter: hint.delimiter, quote: hint.quote, escape: hint.escape, header: hint.header, skip: hint.skip, maxLineSize: hint.maxLineSize },
    hint.ignoreErrors ? ['ignore_errors = true'] : [],
  );
  const sql = `SELECT * FROM sniff_csv(${literal(fileName)}${opts ? `, ${opts}` : ''})`;
  let row: Record<string, unknown>;
  try {
    const t = await db.query(sql);
    row = t.get(0)?.toJSON() as Record<string, unknown>;
  } catch (err) {
    throw explainCsvError(err, displayName, { sniffing: true });
  }
  const columns = (row.Columns as { toArray(): { name: string; type: string }[] }).toArray().map((c) => ({ name: String(c.name), type: String(c.type) }));
  const types: Record<string, string> = {};
  for (const c of columns) types[c.name] = c.type;
  const clean = (v: unknown) => (v === null || v === undefined || v === '(empty)' ? '' : String(v));
  const newLine = clean(row.NewLineDelimiter);
  return {
    dialect: {
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
    },
    columns,
    newLine: /^(\\r)?(\\n)?$/.test(newLine) ? newLine : '',
    comment: clean(row.Comment),
  };
}

/** Runs DuckDB's CSV sniffer on a registered file and returns the dialect it found. */
export async function sniffCsv(db: DbConnector, fileName: string, hint: Partial<CsvDialect>, displayName = fileName): Promise<CsvDialect> {
  return (await sniffCsvSpec(db, fileName, hint, displayName)).dialect;
}

/**
 * The read_csv(...) parameter list that reads exactly `spec` (auto_detect = false), with the
 * analyst's hand-set fields on top. Used when DuckDB must not re-sniff: "Load, skipping bad rows"
 * (the sniffer picks other dialects when errors are ignored) and dialects found with help.
 */
export function fullCsvOptionsSql(spec: CsvSpec, user: Partial<CsvDialect>, extra: string[] = []): string {
  const d: CsvDialect = { ...spec.dialect, ...user, types: spec.dialect.types };
  const types = new Map(spec.columns.map((c) => [c.name, c.type]));
  for (const [name, type] of Object.entries(user.types ?? {})) if (types.has(name)) types.set(name, type);
  const opts = [
    'auto_detect = false',
    `delim = ${literal(d.delimiter)}`,
    `quote = ${literal(d.quote)}`,
    `escape = ${literal(d.escape)}`,
    `header = ${d.header}`,
    `skip = ${Math.max(0, Math.floor(d.skip))}`,
    `comment = ${literal(spec.comment)}`,
  ];
  if (spec.newLine) opts.push(`new_line = ${literal(spec.newLine)}`);
  if (d.encoding !== 'utf-8') opts.push(`encoding = ${literal(d.encoding)}`);
  if (d.dateFormat) opts.push(`dateformat = ${literal(d.dateFormat)}`);
  if (d.timestampFormat) opts.push(`timestampformat = ${literal(d.timestampFormat)}`);
  if (d.maxLineSize && d.maxLineSize !== DEFAULT_MAX_LINE) opts.push(`max_line_size = ${Math.floor(d.maxLineSize)}`);
  opts.push(`columns = {${[...types].map(([k, v]) => `${literal(k)}: ${literal(v)}`).join(', ')}}`);
  return [...opts, ...extra].join(', ');
}

/** Names of the temporary tables one "skip bad rows" load writes its rejected lines to. */
export interface RejectTables {
  errors: string;
  scans: string;
}

/** store_rejects options that write into `tables` (fresh per load, so no earlier scan leaks in). */
export function storeRejectsSql(tables?: RejectTables): string[] {
  const opts = ['store_rejects = true'];
  if (tables) opts.push(`rejects_table = ${literal(tables.errors)}`, `rejects_scan = ${literal(tables.scans)}`);
  return opts;
}

/** `CREATE TABLE name AS SELECT * FROM read_csv([...files], options)`. */
export function createTableFromCsvSql(table: string, files: string[], d: Partial<CsvDialect>, skipBadRows: boolean, rejects?: RejectTables): string {
  const extra = [];
  if (files.length > 1) extra.push('union_by_name = true');
  if (skipBadRows) extra.push(...storeRejectsSql(rejects));
  const opts = csvOptionsSql(d, extra);
  const source = files.length === 1 ? literal(files[0]) : literalList(files);
  return `CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${source}${opts ? `, ${opts}` : ''})`;
}

/**
 * The lines a store_rejects scan refused (at most `limit`, one entry per line, its text cut to
 * 500 characters), and how many in all. With `tables`, reads that load's own reject tables;
 * without, DuckDB's shared reject_errors/reject_scans and their latest scan.
 */
export async function lastRejects(db: DbConnector, limit = 200, tables?: RejectTables): Promise<{ total: number; lines: RejectedLine[] }> {
  const errors = tables ? ident(tables.errors) : 'reject_errors';
  const where = tables ? 'TRUE' : `scan_id = (SELECT max(scan_id) FROM reject_scans)`;
  const total = await db.query(`SELECT count(DISTINCT (file_id, line))::INTEGER AS n FROM ${errors} WHERE ${where}`);
  const rows = await db.query(
    `SELECT DISTINCT ON (file_id, line) line::BIGINT AS line, column_name, error_type, left(csv_line, 500) AS csv_line, error_message ` +
      `FROM ${errors} WHERE ${where} ORDER BY file_id, line, byte_position LIMIT ${Math.max(0, Math.floor(limit))}`,
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

/** Shows a dialect value for the analyst: tabs as \t, blank as "none". */
export function describeDelimiter(d: string): string {
  return d ? showChar(d) : 'none';
}
