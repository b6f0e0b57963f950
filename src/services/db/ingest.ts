import { AppError, errorMessage } from '../../core/errors';
import { detectFormat, type Detection, type SourceFormat } from '../../core/formats/detect';
import type { IngestApi } from '../../shared/ingest-api';
import { listTables } from './catalog';
import type { DbConnector, FileSource } from './connector';
import type { CsvDialect, CsvLoadOptions, RejectedLine } from './csv';
import { countOf, loadCsv } from './csv-load';
import { ident, tableNameFromFile, uniqueName } from './sql';

export { sniffEncoding } from './csv-load';

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

function refuse(file: IngestFile, det: Detection): AppError {
  switch (det.problem) {
    case 'empty':
      return new AppError('empty-file', `${file.name} is empty (0 bytes): there is nothing to load. Check that the export or download finished.`, { file: file.name });
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
    case 'not-tabular':
      return new AppError(
        'unsupported-format',
        `${file.name} is ${det.detail ?? 'not a table'}, not a table of rows (a failed download or a login page saved under this name?). ` +
          'Download or export the data again as CSV, Parquet, JSON or .xlsx.',
        { file: file.name },
      );
    default:
      return new AppError(
        'unsupported-format',
        `${file.name} ${det.detail ? `is ${det.detail}, not a table` : 'does not look like text, Parquet, JSON or Excel (it holds binary data)'}. ` +
          'Load a CSV/TSV, Parquet, JSON/NDJSON or .xlsx file.',
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
  for (const { file, det } of detections) if (det.problem) throw refuse(file, det);
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
    const created: string[] = [];
    try {
      for (const s of sheets) {
        const name = uniqueName(sheets.length === 1 ? baseName : `${baseName}_${tableNameFromFile(s.sheet)}`, taken);
        await insertParts(db, name, [s.ipc]);
        created.push(name);
        taken.push(name);
        const size = await countOf(db, name);
        out.push({ table: name, format, files: [files[0].name], sheet: s.sheet, ...size, notes: renamedNotes(s.renamed) });
      }
    } catch (err) {
      // A workbook loads whole or not at all: drop the sheets already stored.
      for (const t of created) await db.query(`DROP TABLE IF EXISTS ${ident(t)}`).catch(() => undefined);
      throw err instanceof AppError && err.file ? err : storeError(err, files, `sheet of ${files[0].name}`);
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
    throw storeError(err, files);
  }
  const size = await countOf(db, name);
  if (size.rows === 0) notes.push('The file has columns but no rows.');
  return [{ table: name, format, files: files.map((f) => f.name), ...size, notes }];
}

/** The error for parsed data that DuckDB would not store (mixed schemas, an unsupported Arrow type). */
function storeError(err: unknown, files: IngestFile[], what = ''): AppError {
  const detail = errorMessage(err).split('\n')[0].replace(/^[A-Za-z ]+Error: /, '').slice(0, 200);
  return new AppError(
    'bad-input',
    files.length > 1
      ? `${files.map((f) => f.name).join(', ')} could not be combined into one table (${detail}). Combine only files with the same columns and types, or load them one at a time.`
      : `${files[0].name}: a ${what || 'table'} could not be stored in the engine (${detail}). Export the data again as CSV and load that.`,
    { cause: err, file: files[0].name },
  );
}

function renamedNotes(renamed: string[]): string[] {
  return renamed.length ? [`Renamed columns with blank or repeated names: ${renamed.join(', ')}.`] : [];
}
