import { AppError } from '../../core/errors';
import { isValidUtf8 } from '../../core/formats/detect';
import type { DbConnector } from './connector';
import {
  createTableFromCsvSql,
  explainCsvError,
  fullCsvOptionsSql,
  lastRejects,
  sniffCsv,
  storeRejectsSql,
  type CsvDialect,
  type CsvSpec,
  type RejectTables,
} from './csv';
import { chooseCsvSpec, renamedHeaderNote } from './csv-dialect';
import type { IngestFile, LoadedTable, LoadRequest } from './ingest';
import { ident, literal } from './sql';

let fileCounter = 0;

/** Engine-side file name: unique, so two files called orders.csv never collide. */
export function engineFileName(name: string): string {
  fileCounter += 1;
  return `f${fileCounter}_${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** True when the bytes hold at least one well-formed multi-byte UTF-8 sequence. */
function hasUtf8Sequence(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length - 1; i++) {
    const b = bytes[i];
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) continue;
    let ok = true;
    for (let k = 1; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) ok = false;
    if (ok) return true;
  }
  return false;
}

/**
 * The encoding of a text file, from its first bytes. Bytes that are not UTF-8 mean Latin-1,
 * unless the file also holds real UTF-8 sequences (mixed encodings) or bytes 0x80–0x9F (which
 * DuckDB's Latin-1 decoder refuses, as Windows-1252 files have): those are read as UTF-8, so
 * DuckDB names each line that is not, and "Load, skipping bad rows" can leave them out.
 */
export function sniffEncoding(head: Uint8Array): CsvDialect['encoding'] {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16';
  if (isValidUtf8(head)) return 'utf-8';
  if (hasUtf8Sequence(head) || head.some((b) => b >= 0x80 && b <= 0x9f)) return 'utf-8';
  return 'latin-1';
}

/** Rows and columns of a table. */
export async function countOf(db: DbConnector, table: string): Promise<{ rows: number; columns: number }> {
  const t = await db.query(`SELECT count(*)::BIGINT AS n FROM ${ident(table)}`);
  const cols = await db.query(`SELECT count(*)::INTEGER AS c FROM duckdb_columns() WHERE table_name = ${literal(table)} AND schema_name = 'main'`);
  return { rows: Number(t.get(0)?.toJSON().n ?? 0), columns: Number(cols.get(0)?.toJSON().c ?? 0) };
}

/** True when a file is whole in its head and holds nothing but a BOM and blank space. */
function onlyBlank(file: IngestFile): boolean {
  if (file.size > file.head.length) return false;
  const start = file.head[0] === 0xef && file.head[1] === 0xbb && file.head[2] === 0xbf ? 3 : 0;
  return file.head.subarray(start).every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c);
}

/** True when a file's head mixes line endings, with lone carriage returns among them. */
function mixedLineEndings(head: Uint8Array): boolean {
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] === 0x0d && head[i + 1] !== 0x0a) cr++;
    else if (head[i] === 0x0a && head[i - 1] !== 0x0d) lf++;
  }
  return cr > 0 && lf > 0;
}

/** Adds the line-ending advice to a CSV error when the file's lines end in different ways. */
function withLineEndingHint(err: unknown, file: IngestFile): unknown {
  if (!(err instanceof AppError) || err.code !== 'bad-input' || err.name === 'QueryError' || !mixedLineEndings(file.head)) return err;
  return new AppError(
    err.code,
    `${err.message} Its lines also end in different ways (some with a lone carriage return, as old Mac files do): ` +
      'open it in a text editor, save it with one kind of line ending, and load it again.',
    { cause: err.cause, file: err.file, line: err.line, column: err.column },
  );
}

let loadCounter = 0;

/**
 * Runs the CREATE and returns DuckDB's error, if any; retries single-threaded when DuckDB's
 * parallel scanner cannot read the file (a line longer than its buffer).
 */
async function runCreate(db: DbConnector, sql: string): Promise<unknown> {
  try {
    await db.query(sql);
    return undefined;
  } catch (err) {
    if (!/Parallel CSV Reader currently does not support a full read/i.test(err instanceof Error ? err.message : String(err))) return err;
    try {
      await db.query(`${sql.slice(0, -1)}, parallel = false)`);
      return undefined;
    } catch (again) {
      return again;
    }
  }
}

/** True when a load that skips bad rows would keep more rows than it rejects (a few bad lines). */
function mostlyGood(rows: number, rejected: number): boolean {
  return rows > 0 && rejected <= rows;
}

/**
 * Whether "Load, skipping bad rows" would get past a failed plain load: reads the file once with
 * store_rejects into throwaway tables. Run only after a failure, so a message never offers a way
 * out that does not work.
 */
async function skipWouldHelp(db: DbConnector, engineName: string, spec: CsvSpec, forced: Partial<CsvDialect>): Promise<boolean> {
  loadCounter += 1;
  const probe: RejectTables = { errors: `__rejects_probe_${loadCounter}`, scans: `__reject_scans_probe_${loadCounter}` };
  try {
    const t = await db.query(`SELECT count(*)::BIGINT AS n FROM read_csv(${literal(engineName)}, ${fullCsvOptionsSql(spec, forced, storeRejectsSql(probe))})`);
    const rejected = await lastRejects(db, 1, probe);
    return mostlyGood(Number(t.get(0)?.toJSON().n ?? 0), rejected.total);
  } catch {
    return false;
  } finally {
    for (const name of [probe.errors, probe.scans]) await db.query(`DROP TABLE IF EXISTS ${ident(name)}`).catch(() => undefined);
  }
}

/**
 * Values that hint at files joined together: a byte-order mark starting a line (so inside the
 * first column), or rows that repeat the header (possible only when every column is text).
 * One scan of at most 50 columns; returns notes for the analyst.
 */
async function joinedFileNotes(db: DbConnector, table: string, header: boolean): Promise<string[]> {
  const cols = await db.query(`SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = ${literal(table)} AND schema_name = 'main' ORDER BY column_index`);
  const all = cols.toArray().map((r) => r.toJSON() as { name: string; type: string });
  if (all.length === 0 || all[0].type !== 'VARCHAR') return [];
  const allText = all.length <= 50 && all.every((c) => c.type === 'VARCHAR');
  const bom = `contains(${ident(all[0].name)}, '\uFEFF')`;
  const repeated = header && allText ? all.map((c) => `trim(${ident(c.name)}, '\uFEFF ') = ${literal(c.name)}`).join(' AND ') : 'FALSE';
  const t = await db.query(`SELECT count(*) FILTER (WHERE ${bom})::INTEGER AS b, count(*) FILTER (WHERE ${repeated})::INTEGER AS h FROM ${ident(table)}`);
  const { b, h } = t.get(0)?.toJSON() as { b: number; h: number };
  const notes: string[] = [];
  if (b > 0) {
    notes.push(
      `${b} row${b === 1 ? ' starts' : 's start'} with an invisible byte-order mark (U+FEFF), a sign that several files were joined into this one: ` +
        'remove it with a cleaning step, or export the file again in one piece.',
    );
  }
  if (h > 0) notes.push(`${h} row${h === 1 ? ' repeats' : 's repeat'} the header line (the file may be several exports joined together): filter ${h === 1 ? 'it' : 'them'} out with a cleaning step.`);
  return notes;
}

/**
 * Loads delimited text into `table` with DuckDB's own reader, from the registered file (no copy
 * into the JS heap). With `csv.skipBadRows` the same dialect is read with store_rejects: good rows
 * load, bad lines come back in `rejects`. On failure nothing is left behind: no table, no reject
 * tables, no registered files.
 */
export async function loadCsv(db: DbConnector, request: LoadRequest, table: string): Promise<LoadedTable> {
  const { files } = request;
  const user = request.csv?.dialect ?? {};
  const skipBadRows = request.csv?.skipBadRows ?? false;
  for (const f of files) {
    if (onlyBlank(f)) throw new AppError('empty-file', `${f.name} has no data: it holds only blank lines. Check that the export finished.`, { file: f.name });
  }
  loadCounter += 1;
  const rejectTables: RejectTables | undefined = skipBadRows ? { errors: `__rejects_${loadCounter}`, scans: `__reject_scans_${loadCounter}` } : undefined;
  const extra = rejectTables ? storeRejectsSql(rejectTables) : [];
  const displayName = files.length === 1 ? files[0].name : files.map((f) => f.name).join(', ');
  const engineNames: string[] = [];
  let created = false;
  try {
    for (const f of files) {
      const engineName = engineFileName(f.name);
      await db.registerFile(engineName, f.source);
      engineNames.push(engineName);
    }
    const encoding = user.encoding ?? sniffEncoding(files[0].head);
    const forced: Partial<CsvDialect> = { ...user, encoding };
    const notes: string[] = [];
    let dialect: CsvDialect;
    let sql: string;
    let spec: CsvSpec | undefined;
    if (files.length === 1) {
      const chosen = await chooseCsvSpec(db, engineNames[0], files[0], user, encoding);
      spec = chosen.spec;
      dialect = { ...chosen.spec.dialect, ...user, encoding, types: { ...chosen.spec.dialect.types, ...(user.types ?? {}) } };
      // Only what the analyst set by hand is forced on a plain load, and DuckDB re-sniffs the rest;
      // a guided dialect, or skipping bad rows (its sniffer drifts when errors are ignored), is read
      // exactly as found.
      sql =
        chosen.guided || skipBadRows
          ? `CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${literal(engineNames[0])}, ${fullCsvOptionsSql(chosen.spec, forced, extra)})`
          : createTableFromCsvSql(table, engineNames, forced, false);
      const renamed = renamedHeaderNote(chosen.header, chosen.spec);
      if (renamed) notes.push(renamed);
    } else {
      const sniffed = await sniffCsv(db, engineNames[0], forced, files[0].name);
      dialect = { ...sniffed, ...user, encoding, types: { ...sniffed.types, ...(user.types ?? {}) } };
      await checkSameColumns(db, files, engineNames, forced);
      sql = createTableFromCsvSql(table, engineNames, forced, skipBadRows, rejectTables);
    }
    const failure = await runCreate(db, sql);
    if (failure) {
      const skipHelps = skipBadRows ? false : spec ? await skipWouldHelp(db, engineNames[0], spec, forced) : true;
      throw explainCsvError(failure, displayName, { skipHelps, delimiter: dialect.delimiter });
    }
    created = true;
    const size = await countOf(db, table);
    const rejects = rejectTables ? await lastRejects(db, 200, rejectTables) : undefined;
    if (rejects && rejects.total > 0 && !mostlyGood(size.rows, rejects.total)) {
      const first = rejects.lines[0];
      throw new AppError(
        'bad-input',
        `${displayName}: ${size.rows === 0 ? 'every line was rejected' : `${rejects.total} lines were rejected and only ${size.rows} kept`} ` +
          `(the first, line ${first.line}: ${first.message.split('\n')[0]}), so the dialect is probably wrong. ` +
          'Check the delimiter, quote and encoding, and set them in the dialect by hand.',
        { file: files[0].name, line: first.line },
      );
    }
    if (size.rows === 0) notes.push(dialect.header ? 'The file has a header but no data rows.' : 'The file has no data rows.');
    if (rejects && rejects.total > 0) notes.push(`${rejects.total} bad line${rejects.total === 1 ? ' was' : 's were'} skipped; see the rejected lines.`);
    notes.push(...(await joinedFileNotes(db, table, dialect.header)));
    // CSV tables keep their registered files: the dialect can be edited and the file reloaded.
    return { table, format: 'csv', files: files.map((f) => f.name), ...size, dialect, rejects, notes };
  } catch (err) {
    if (created) await db.query(`DROP TABLE IF EXISTS ${ident(table)}`).catch(() => undefined);
    for (const n of engineNames) await db.dropFile(n).catch(() => undefined);
    throw withLineEndingHint(err, files[0]);
  } finally {
    if (rejectTables) {
      for (const t of [rejectTables.errors, rejectTables.scans]) await db.query(`DROP TABLE IF EXISTS ${ident(t)}`).catch(() => undefined);
    }
  }
}

/**
 * Files combined into one table must share their columns. Each file's dialect is found the way a
 * single load finds it, so a file whose own lines break its layout is named as such rather than
 * reported as "different columns".
 */
async function checkSameColumns(db: DbConnector, files: IngestFile[], engineNames: string[], dialect: Partial<CsvDialect>): Promise<void> {
  let want = '';
  for (let i = 0; i < files.length; i++) {
    const encoding = dialect.encoding ?? sniffEncoding(files[i].head);
    const chosen = await chooseCsvSpec(db, engineNames[i], files[i], { ...dialect, encoding }, encoding);
    const got = chosen.spec.columns.map((c) => c.name).join(', ');
    if (chosen.repaired) {
      throw new AppError(
        'bad-input',
        `${files[i].name} has lines that do not fit its own columns (${got}), so it cannot be combined with the other files as it is. ` +
          `Load ${files[i].name} on its own to see which line is wrong, then fix it (or load it alone with "Load, skipping bad rows").`,
        { file: files[i].name },
      );
    }
    if (i === 0) want = got;
    else if (got !== want) {
      throw new AppError(
        'bad-input',
        `${files[i].name} has columns (${got}) that differ from ${files[0].name} (${want}). Only files with the same columns can be loaded as one table: load them separately and join them.`,
        { file: files[i].name },
      );
    }
  }
}
