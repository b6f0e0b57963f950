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

function show(ch: string): string {
  if (ch === '\n' || ch === '\r') return 'a line break';
  return JSON.stringify(ch);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Where JSON text first breaks the grammar, and why in plain words (RFC 8259). Run only after
 * JSON.parse has failed: engines word and place their errors differently (V8 sometimes gives no
 * position), so the line shown to the analyst comes from here. Iterative: deep nesting is safe.
 */
export function locateJsonError(text: string): { offset: number; reason: string } | null {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  let expect: 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'done' = 'value';
  const fail = (reason: string) => ({ offset: i, reason });
  const after = () => (stack.length ? 'commaOrEnd' : 'done');
  const scanString = (): { offset: number; reason: string } | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail(c === 10 || c === 13 ? 'a text value runs onto the next line (a closing quote is missing)' : 'a text value holds a control character');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail('a backslash starts an escape that JSON does not know');
      } else i++;
    }
    return fail('a text value never closes (its closing quote is missing; the file may be cut short)');
  };
  for (;;) {
    while (i < n && ' \t\n\r'.includes(text[i])) i++;
    if (i >= n) return expect === 'done' ? null : fail('the data stops before it is complete (the file may be cut short)');
    const ch = text[i];
    if (expect === 'done') return fail(`there is more after the end of the data (${show(ch)}); if each line is one record, name the file .ndjson`);
    if (expect === 'colon') {
      if (ch !== ':') return fail(`expected ':' after a property name, found ${show(ch)}`);
      i++;
      expect = 'value';
    } else if (expect === 'commaOrEnd') {
      const top = stack[stack.length - 1];
      const close = top === '{' ? '}' : ']';
      if (ch === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
      } else if (ch === close) {
        stack.pop();
        i++;
        expect = after();
      } else return fail(`expected ',' or '${close}', found ${show(ch)} (a comma may be missing)`);
    } else if (expect === 'key' || expect === 'keyOrEnd') {
      if (ch === '}' && expect === 'keyOrEnd') {
        stack.pop();
        i++;
        expect = after();
      } else if (ch === '"') {
        const bad = scanString();
        if (bad) return bad;
        expect = 'colon';
      } else if (ch === "'") return fail('property names need double quotes, not single quotes');
      else if (ch === '}') return fail("a comma is followed by '}' (remove the trailing comma)");
      else return fail(`expected a property name in double quotes, found ${show(ch)}`);
    } else {
      if (ch === ']' && expect === 'valueOrEnd') {
        stack.pop();
        i++;
        expect = after();
      } else if (ch === '{' || ch === '[') {
        stack.push(ch);
        i++;
        expect = ch === '{' ? 'keyOrEnd' : 'valueOrEnd';
      } else if (ch === '"') {
        const bad = scanString();
        if (bad) return bad;
        expect = after();
      } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m || m[0] === '-') return fail('a number is malformed');
        i += m[0].length;
        expect = after();
      } else {
        const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (lit) {
          i += lit.length;
          expect = after();
        } else if (ch === "'") return fail('text values need double quotes, not single quotes');
        else if (ch === ']' || ch === '}') return fail(`a value is missing before '${ch}' (remove the trailing comma)`);
        else return fail(`unexpected ${show(ch)} where a value should be (text must be in double quotes)`);
      }
    }
  }
}

function parseOrExplain(text: string, fileName: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const found = locateJsonError(text);
    const where = found ? lineAndColumn(text, found.offset) : undefined;
    const line = where ? where.line + lineOffset : undefined;
    const reason = found?.reason ?? message.replace(/\s*in JSON.*$/, '').slice(0, 160);
    throw new AppError(
      'bad-input',
      `${fileName} is not valid JSON${where ? ` at line ${line}, column ${where.column}` : ''}: ${reason}. ` +
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
          'Clientele reads JSON as a list of objects, one per row ({"id": 1, "name": "…"}): export the data in that shape, or as CSV.',
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
    `${fileName} holds a single ${doc === null ? 'null' : typeof doc} value, not rows. Clientele reads JSON as a list of objects, one per row: export the data in that shape, or as CSV.`,
    { file: fileName },
  );
}

/** A JSON document (array of objects) → Arrow IPC stream bytes. */
export function jsonToIPC(text: string, fileName: string): { ipc: Uint8Array; renamed: string[]; rows: number } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new AppError('empty-file', `${fileName} is empty (only blank space): there is nothing to load. Check that the export finished.`, { file: fileName });
  const rows = rowsOf(parseOrExplain(body, fileName), fileName);
  if (rows.length === 0) throw new AppError('empty-file', `${fileName} holds an empty list: there are no rows to load. Check that the export selected any data.`, { file: fileName });
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
  if (rows.length === 0) throw new AppError('empty-file', `${fileName} is empty (only blank lines): there is nothing to load. Check that the export finished.`, { file: fileName });
  const { columns, renamed } = rowsToColumns(rows, fileName);
  return { ipc: columnsToIPC(columns), renamed, rows: rows.length };
}
