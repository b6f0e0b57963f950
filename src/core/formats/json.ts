import { AppError } from '../errors';
import { dedupeColumnNames, columnsToIPC, type ValueColumn } from './arrow-build';

/** Line and column (1-based) of a character offset in text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function parseOrExplain(text: string, fileName: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const explicit = message.match(/line (\d+) column (\d+)/);
    const pos = message.match(/position (\d+)/);
    let line: number | undefined;
    let column: number | undefined;
    if (explicit) {
      line = Number(explicit[1]) + lineOffset;
      column = Number(explicit[2]);
    } else if (pos) {
      const lc = lineAndColumn(text, Number(pos[1]));
      line = lc.line + lineOffset;
      column = lc.column;
    } else if (/end of JSON input|Unterminated/i.test(message)) {
      line = lineAndColumn(text, text.length).line + lineOffset;
    }
    const where = line ? ` at line ${line}${column ? `, column ${column}` : ''}` : '';
    throw new AppError(
      'bad-input',
      `${fileName} is not valid JSON${where} (${message.replace(/^.*?:\s*/, '').replace(/\s*in JSON.*$/, '')}). ` +
        'Fix that spot in the file, or export the data again as JSON, NDJSON or CSV.',
      { cause: err, file: fileName, line },
    );
  }
}

/**
 * Rows of JSON objects → value columns. Accepts an array of objects, one object (a table of one
 * row), or an object whose single array-valued property holds the rows (`{"data": [...]}`).
 * Nested objects and arrays are kept as JSON text; DuckDB's json functions can open them later.
 */
export function rowsToColumns(rows: unknown[], fileName: string): { columns: ValueColumn[]; renamed: string[] } {
  const keys: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new AppError(
        'bad-input',
        `${fileName}: record ${i + 1} is ${Array.isArray(row) ? 'an array' : JSON.stringify(row)?.slice(0, 40)}, not an object. ` +
          'Clientele reads JSON as a list of objects, one per row ({"id": 1, "name": "…"}).',
        { file: fileName },
      );
    }
    for (const k of Object.keys(row)) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  });
  const { names, renamed } = dedupeColumnNames(keys);
  const columns = keys.map((key, c) => ({
    name: names[c],
    values: rows.map((row) => (row as Record<string, unknown>)[key] ?? null),
  }));
  return { columns, renamed };
}

function rowsOf(doc: unknown, fileName: string): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object') {
    const arrays = Object.values(doc).filter(Array.isArray);
    if (arrays.length === 1 && arrays[0].every((r) => r && typeof r === 'object' && !Array.isArray(r))) return arrays[0];
    return [doc];
  }
  throw new AppError(
    'bad-input',
    `${fileName} holds a single ${typeof doc} value, not rows. Clientele reads JSON as a list of objects, one per row.`,
    { file: fileName },
  );
}

/** A JSON document (array of objects) → Arrow IPC stream bytes. */
export function jsonToIPC(text: string, fileName: string): { ipc: Uint8Array; renamed: string[]; rows: number } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new AppError('empty-file', `${fileName} is empty: there is nothing to load.`, { file: fileName });
  const rows = rowsOf(parseOrExplain(body, fileName), fileName);
  if (rows.length === 0) throw new AppError('empty-file', `${fileName} holds an empty list: there are no rows to load.`, { file: fileName });
  const { columns, renamed } = rowsToColumns(rows, fileName);
  return { ipc: columnsToIPC(columns), renamed, rows: rows.length };
}

/** Newline-delimited JSON (one object per line; blank lines skipped) → Arrow IPC stream bytes. */
export function ndjsonToIPC(text: string, fileName: string): { ipc: Uint8Array; renamed: string[]; rows: number } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: unknown[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    rows.push(parseOrExplain(line, fileName, i));
  }
  if (rows.length === 0) throw new AppError('empty-file', `${fileName} is empty: there is nothing to load.`, { file: fileName });
  const { columns, renamed } = rowsToColumns(rows, fileName);
  return { ipc: columnsToIPC(columns), renamed, rows: rows.length };
}
