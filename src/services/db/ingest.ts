import { AppError, errorMessage } from '../../core/errors';
import { detectFormat, isValidUtf8, type SourceFormat } from '../../core/formats/detect';
import type { IngestApi } from '../../shared/ingest-api';
import { listTables } from './catalog';
import type { DbConnector, FileSource } from './connector';
import { createTableFromCsvSql, explainCsvError, lastRejects, sniffCsv, type CsvDialect, type CsvLoadOptions, type RejectedLine } from './csv';
import { ident, tableNameFromFile, uniqueName } from './sql';

/** A file the analyst picked: its name, size, where its bytes are, and its first bytes. */
export interface IngestFile {
  name: string;
  size: number;
  source: FileSource;
  /** The first bytes (64 KiB), for format and encoding detection. */
  head: Uint8Array;
}

/** What to load: one file, or several with the same columns combined into one table. */
export interface LoadRequest {
  files: IngestFile[];
  /** Table name; derived from the first file's name when absent. */
  table?: string;
  csv?: CsvLoadOptions;
}

/** A table that was loaded, and how. */
export interface LoadedTable {
  table: string;
  format: SourceFormat;
  files: string[];
  sheet?: string;
  rows: number;
  columns: number;
  /** The CSV dialect used (sniffed, with the analyst's edits applied). */
  dialect?: CsvDialect;
  /** Lines refused when loading with "skip bad rows". */
  rejects?: { total: number; lines: RejectedLine[] };
  /** Things worth telling the analyst (renamed columns, an empty table…). */
  notes: string[];
}

let fileCounter = 0;

/** Engine-side file name: unique, so two files called orders.csv never collide. */
function engineFileName(name: string): string {
  fileCounter += 1;
  return `f${fileCounter}_${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** The encoding of a text file, from its first bytes. */
export function sniffEncoding(head: Uint8Array): CsvDialect['encoding'] {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16';
  return isValidUtf8(head) ? 'utf-8' : 'latin-1';
}

function refuse(file: IngestFile, problem: string): AppError {
  switch (problem) {
    case 'empty':
      return new AppError('empty-file', `${file.name} is empty (0 bytes): there is nothing to load. Check that the export finished.`, { file: file.name });
    case 'encrypted':
      return new AppError(
        'encrypted-file',
        `${file.name} is password-protected (encrypted). Open it in Excel, remove the password (File → Info → Protect Workbook), save, and load it again — or export the sheet as CSV.`,
        { file: file.name },
      );
    case 'legacy-xls':
      return new AppError('unsupported-format', `${file.name} is an old Excel 97–2003 .xls file. Save it as .xlsx or CSV in Excel or LibreOffice and load that.`, { file: file.name });
    case 'zip-not-xlsx':
      return new AppError('unsupported-format', `${file.name} is a zip archive. Unzip it and load the CSV, Parquet, JSON or .xlsx files inside.`, { file: file.name });
    default:
      return new AppError(
        'unsupported-format',
        `${file.name} does not look like text, Parquet, JSON or Excel (it holds binary data). Load a CSV/TSV, Parquet, JSON/NDJSON or .xlsx file.`,
        { file: file.name },
      );
  }
}

/** Loads Arrow IPC parts into a staging table, then renames it: a failure leaves no half table. */
async function insertParts(db: DbConnector, table: string, parts: Uint8Array[]): Promise<void> {
  const staging = `__loading_${table}_${Date.now()}`;
  try {
    for (let i = 0; i < parts.length; i++) await db.insertArrowIPC(staging, parts[i], i === 0);
    await db.query(`ALTER TABLE ${ident(staging)} RENAME TO ${ident(table)}`);
  } catch (err) {
    await db.query(`DROP TABLE IF EXISTS ${ident(staging)}`).catch(() => undefined);
    throw err;
  }
}

async function countOf(db: DbConnector, table: string): Promise<{ rows: number; columns: number }> {
  const t = await db.query(`SELECT count(*)::BIGINT AS n FROM ${ident(table)}`);
  const cols = await db.query(`SELECT count(*)::INTEGER AS c FROM duckdb_columns() WHERE table_name = '${table.replace(/'/g, "''")}' AND schema_name = 'main'`);
  return { rows: Number(t.get(0)?.toJSON().n ?? 0), columns: Number(cols.get(0)?.toJSON().c ?? 0) };
}

function blobOf(source: FileSource): Blob | Uint8Array {
  if (source instanceof Uint8Array) return source;
  if ('path' in source) throw new AppError('invalid-argument', 'Non-CSV files must be passed as bytes or a File.');
  return source;
}

/**
 * Loads one request into DuckDB and returns what was created. CSV/TSV is read by DuckDB's own
 * reader from the registered file (no copy into the JS heap); Parquet, JSON and Excel are parsed
 * by `parsers` (the ingest worker in the browser) into Arrow IPC and inserted. Nothing already
 * loaded is touched when this fails.
 */
export async function loadFiles(db: DbConnector, parsers: IngestApi, request: LoadRequest): Promise<LoadedTable[]> {
  const { files } = request;
  if (files.length === 0) throw new AppError('invalid-argument', 'No file was chosen.');
  const detections = files.map((f) => ({ file: f, det: detectFormat(f.name, f.head, f.size) }));
  for (const { file, det } of detections) if (det.problem) throw refuse(file, det.problem);
  const format = detections[0].det.format!;
  const mixed = detections.find((d) => d.det.format !== format);
  if (mixed) {
    throw new AppError('invalid-argument', `${mixed.file.name} is ${mixed.det.format}, not ${format} like ${files[0].name}: files combined into one table must share a format.`);
  }
  const taken = (await listTables(db)).map((t) => t.name);
  const baseName = request.table?.trim() || tableNameFromFile(files[0].name);

  if (format === 'csv') return [await loadCsv(db, request, uniqueName(baseName, taken))];

  if (format === 'xlsx') {
    if (files.length > 1) throw new AppError('invalid-argument', 'Excel workbooks are loaded one at a time (each sheet becomes a table).');
    const sheets = await parsers.xlsx(blobOf(files[0].source), files[0].name);
    const out: LoadedTable[] = [];
    for (const s of sheets) {
      const name = uniqueName(sheets.length === 1 ? baseName : `${baseName}_${tableNameFromFile(s.sheet)}`, taken);
      await insertParts(db, name, [s.ipc]);
      taken.push(name);
      const size = await countOf(db, name);
      out.push({ table: name, format, files: [files[0].name], sheet: s.sheet, ...size, notes: renamedNotes(s.renamed) });
    }
    return out;
  }

  const parts: Uint8Array[] = [];
  const notes: string[] = [];
  for (const f of files) {
    const parsed = format === 'parquet' ? await parsers.parquet(blobOf(f.source), f.name) : await parsers.json(blobOf(f.source), f.name, format === 'ndjson');
    parts.push(parsed.ipc);
    notes.push(...renamedNotes(parsed.renamed));
  }
  const name = uniqueName(baseName, taken);
  try {
    await insertParts(db, name, parts);
  } catch (err) {
    throw new AppError(
      'bad-input',
      files.length > 1
        ? `The files could not be combined into one table: ${errorMessage(err).split('\n')[0]}. Combine only files with the same columns and types.`
        : `${files[0].name} could not be stored: ${errorMessage(err).split('\n')[0]}.`,
      { cause: err, file: files[0].name },
    );
  }
  const size = await countOf(db, name);
  if (size.rows === 0) notes.push('The file has columns but no rows.');
  return [{ table: name, format, files: files.map((f) => f.name), ...size, notes }];
}

function renamedNotes(renamed: string[]): string[] {
  return renamed.length ? [`Renamed columns with blank or repeated names: ${renamed.join(', ')}.`] : [];
}

async function loadCsv(db: DbConnector, request: LoadRequest, table: string): Promise<LoadedTable> {
  const { files } = request;
  const userDialect = request.csv?.dialect ?? {};
  const skipBadRows = request.csv?.skipBadRows ?? false;
  const engineNames: string[] = [];
  try {
    for (const f of files) {
      const engineName = engineFileName(f.name);
      await db.registerFile(engineName, f.source);
      engineNames.push(engineName);
    }
    const encoding = userDialect.encoding ?? sniffEncoding(files[0].head);
    const sniffed = await sniffCsv(db, engineNames[0], { ...userDialect, encoding }, files[0].name);
    const dialect: CsvDialect = { ...sniffed, ...userDialect, encoding, types: { ...sniffed.types, ...(userDialect.types ?? {}) } };
    // Only what the analyst set by hand is forced; DuckDB re-sniffs the rest on the full read.
    const forced: Partial<CsvDialect> = { ...userDialect, encoding };
    if (files.length > 1) await checkSameColumns(db, files, engineNames, forced);
    const sql = createTableFromCsvSql(table, engineNames, forced, skipBadRows);
    try {
      await db.query(sql);
    } catch (err) {
      throw explainCsvError(err, files.length === 1 ? files[0].name : `${files.map((f) => f.name).join(', ')}`);
    }
    const size = await countOf(db, table);
    const notes: string[] = [];
    if (size.rows === 0) notes.push('The file has a header but no data rows.');
    const rejects = skipBadRows ? await lastRejects(db) : undefined;
    if (rejects && rejects.total > 0) notes.push(`${rejects.total} bad line${rejects.total === 1 ? ' was' : 's were'} skipped; see the rejected lines.`);
    // CSV tables keep their registered files: the dialect can be edited and the file reloaded.
    return { table, format: 'csv', files: files.map((f) => f.name), ...size, dialect, rejects, notes };
  } catch (err) {
    for (const n of engineNames) await db.dropFile(n).catch(() => undefined);
    throw err;
  }
}

async function checkSameColumns(db: DbConnector, files: IngestFile[], engineNames: string[], dialect: Partial<CsvDialect>): Promise<void> {
  const first = await sniffCsv(db, engineNames[0], dialect, files[0].name);
  const want = Object.keys(first.types).join(', ');
  for (let i = 1; i < files.length; i++) {
    const other = await sniffCsv(db, engineNames[i], { ...dialect, encoding: dialect.encoding ?? sniffEncoding(files[i].head) }, files[i].name);
    const got = Object.keys(other.types).join(', ');
    if (got !== want) {
      throw new AppError(
        'bad-input',
        `${files[i].name} has columns (${got}) that differ from ${files[0].name} (${want}). Only files with the same columns can be loaded as one table: load them separately and join them.`,
        { file: files[i].name },
      );
    }
  }
}
