import { AppError, type ErrorCode } from '../../core/errors';
import { shortDuckMessage } from './query-error';

/** What the caller knows about a failed CSV read, so the message can say the right thing. */
export interface CsvErrorContext {
  /** The error came from DuckDB's dialect sniffer rather than from reading the rows. */
  sniffing?: boolean;
  /** "Load, skipping bad rows" would get past this error (false when it is already on). */
  skipHelps?: boolean;
  /** The delimiter in use, shown when a row has the wrong number of fields. */
  delimiter?: string;
}

const SKIP_HINT = 'or choose "Load, skipping bad rows" to load the other rows and list the rejected ones';

/** DuckDB type names in the analyst's words. */
function plainType(type: string): string {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/.test(t)) return `whole number (${type})`;
  if (/^(DOUBLE|FLOAT|REAL)$/.test(t) || t.startsWith('DECIMAL')) return `number (${type})`;
  if (t === 'DATE') return 'date (DATE)';
  if (t.startsWith('TIMESTAMP')) return `date and time (${type})`;
  if (t === 'TIME') return 'time of day (TIME)';
  if (t === 'BOOLEAN') return 'true/false value (BOOLEAN)';
  return type;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function showDelimiter(d: string): string {
  return d === '\t' ? 'tab' : d === ' ' ? 'space' : `"${d}"`;
}

/**
 * Turns DuckDB's CSV error into a message that names the file, the line (when DuckDB knows it),
 * what is wrong in plain words and what to do. DuckDB's own text stays in `cause`. Matches are
 * made on DuckDB's error sentences, never on its long "possible fixes" paragraphs (which mention
 * every option by name).
 */
export function explainCsvError(err: unknown, fileName: string, context: CsvErrorContext = {}): AppError {
  const raw = err instanceof Error ? err.message : String(err);
  const skip = context.skipHelps ?? !context.sniffing;
  const orSkip = skip ? `, ${SKIP_HINT}` : '';
  const lineMatch = raw.match(/CSV Error on Line: (\d+)/);
  let line = lineMatch ? Number(lineMatch[1]) : undefined;
  const originalText = raw.match(/Original Line: ([^\n]*)/)?.[1];
  const original = originalText ? (originalText.length > 80 ? `${originalText.slice(0, 80)}…` : originalText) : undefined;
  const shown = original !== undefined ? ` (${JSON.stringify(original)})` : '';
  const column = raw.match(/converting column "([^"]+)"/)?.[1];
  const at = () => (line ? `line ${line}` : 'a line');
  let code: ErrorCode = 'bad-input';
  let what: string;

  const columns = raw.match(/Expected Number of Columns: (\d+) Found: (\d+)/);
  const cast = raw.match(/Could not convert string "(.*)" to '([^']+)'/);
  const maxLine = raw.match(/Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+)/);
  if (/Error when sniffing file|not possible to automatically detect the CSV/i.test(raw)) {
    line = undefined;
    what =
      'could not be read as delimited text: no delimiter, quote and header combination fits its first lines. ' +
      'Check that it is a CSV/TSV file, or set the delimiter and quote in the dialect by hand and reload.';
  } else if (maxLine) {
    code = 'too-large';
    // The sniffer counts lines of its sample, not of the file: name the line by its start instead.
    if (context.sniffing) line = undefined;
    const limit = Number(maxLine[1]);
    const actual = Number(maxLine[2]);
    const where = line ? `line ${line}` : original !== undefined ? `the line that starts ${JSON.stringify(original.slice(0, 40))}` : 'a line';
    what =
      `${where} is longer than the maximum line size (${limit.toLocaleString('en-US')} bytes; that line is at least ${megabytes(actual)}). ` +
      `If that long value is real data, raise "Max line size" in the dialect above ${megabytes(actual)} and reload; ` +
      `otherwise the file may lack line breaks or hold a quote that never closes${orSkip}.`;
  } else if (/Parallel CSV Reader currently does not support a full read/i.test(raw)) {
    code = 'too-large';
    what = `has a line longer than the reader's 32 MB buffer. If that long value is real data, raise "Max line size" in the dialect above its size and reload; otherwise the file may lack line breaks${orSkip}.`;
  } else if (columns) {
    const [, want, got] = columns;
    const delim = context.delimiter ? `the delimiter (${showDelimiter(context.delimiter)})` : 'the delimiter';
    what = `${at()} has ${got} field${got === '1' ? '' : 's'} where the header has ${want}${shown}. Fix that row, check that ${delim} is right${orSkip}.`;
  } else if (/unterminated quote/i.test(raw)) {
    // DuckDB says "unterminated" both for a quote that never closes and for text after a closing quote.
    const quotes = (originalText ?? '').split('"').length - 1;
    what =
      quotes % 2 === 1 || !originalText
        ? `${at()} opens a quote that never closes${shown}, so the rest of the file would run into one value. Add the missing closing quote on that line${orSkip}.`
        : `${at()} has a quoted value with other text right after its closing quote${shown}. Fix the quotes on that line (a quote inside a quoted value is written twice: "")${orSkip}.`;
  } else if (/state machine reached an invalid state/i.test(raw)) {
    what = `${at()} does not follow the CSV rules for the chosen dialect${shown}: quotes, delimiters or line endings are out of place. Check the delimiter and quote in the dialect${orSkip}.`;
  } else if (cast) {
    const [, value, type] = cast;
    const shownValue = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    what =
      `${at()}: the value ${shownValue} in column ${column ?? '?'} is not a ${plainType(type)}, unlike the rows sampled above it. ` +
      `Set that column's type to VARCHAR in the dialect and reload, fix the value${orSkip}.`;
  } else if (/not latin-1 encoded/i.test(raw)) {
    line = undefined;
    what =
      'is not Latin-1 text: it holds bytes (0x80–0x9F) that Latin-1 does not use, typical of Windows-1252 (€, curly quotes, long dashes), ' +
      'an encoding Clientele cannot read. Re-save the file as UTF-8 (in Excel: Save As → "CSV UTF-8") and load it again.';
  } else if (/Invalid unicode|not utf-8 encoded/i.test(raw)) {
    what =
      `${at()} is not valid UTF-8 text: the file mixes encodings, or uses one (such as Windows-1252) that Clientele cannot read. ` +
      `Re-save the file as UTF-8 (in Excel: Save As → "CSV UTF-8"), choose the Latin-1 encoding if the whole file is Latin-1${orSkip}.`;
  } else if (/No files found|does not exist/i.test(raw)) {
    line = undefined;
    what = 'is no longer available to the engine. Open the file again.';
  } else {
    const detail = shortDuckMessage(raw)
      .replace(/CSV Error on Line: \d+\s*/g, '')
      .replace(/Original Line:[^\n]*\n?/g, '')
      .replace(/^[A-Za-z ]+Error: /, '')
      .split('\n')
      .filter((l) => l.trim() !== '')[0]
      ?.slice(0, 200);
    what = `${at()} could not be read (${detail ?? 'unknown reason'}). Check the delimiter, quote and encoding in the dialect${orSkip}.`;
  }
  const message = /^(line|a line|the line)\b/.test(what) ? `${fileName}: ${what}` : `${fileName} ${what}`;
  return new AppError(code, message, { cause: err, file: fileName, line, column });
}
