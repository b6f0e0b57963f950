import { AppError } from '../../core/errors';

/** Statement keywords that would make DuckDB fetch or load code or data from elsewhere. */
const FORBIDDEN_STATEMENTS = /^\s*(INSTALL|LOAD|FORCE\s+INSTALL|UPDATE\s+EXTENSIONS|ATTACH|DETACH|EXPORT\s+DATABASE|IMPORT\s+DATABASE|SET|RESET|PRAGMA|CREATE\s+(OR\s+REPLACE\s+)?SECRET)\b/i;

/** URL schemes DuckDB's readers understand as remote locations. */
const REMOTE_URL = /\b(https?|s3a?|s3n|gcs|gs|r2|az|azure|abfss?|hf|hdfs|ftp|md|motherduck):\/\//i;

/** Splits SQL into statements at semicolons outside quotes and comments. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      cur += '\n';
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 1;
      cur += ' ';
    } else if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Checks SQL typed by the analyst before it reaches DuckDB: no remote URLs, no extension
 * installs or loads, no settings changes (the engine's configuration is also locked). Throws an
 * AppError with code 'network-blocked' that says why and what to do instead.
 */
export function guardUserSql(sql: string): string[] {
  const statements = splitStatements(sql);
  if (statements.length === 0) throw new AppError('invalid-argument', 'Type a SQL query first, e.g. SELECT * FROM customers LIMIT 10.');
  if (REMOTE_URL.test(sql)) {
    const url = sql.match(REMOTE_URL)![0];
    throw new AppError(
      'network-blocked',
      `Remote locations (${url}…) are refused: Clientele never sends or fetches data over the network. Download the file and drop it into the app instead.`,
    );
  }
  for (const s of statements) {
    const m = s.match(FORBIDDEN_STATEMENTS);
    if (m) {
      const word = m[1].toUpperCase().replace(/\s+/g, ' ');
      throw new AppError(
        'network-blocked',
        word === 'INSTALL' || word === 'LOAD' || word.includes('EXTENSION') || word === 'FORCE INSTALL'
          ? `${word} is refused: DuckDB extensions would be downloaded from the internet. Everything Clientele needs is built in; files are loaded with the Open files button.`
          : `${word} statements are refused in the console: the engine's settings are fixed so that nothing leaves the device.`,
    );
    }
  }
  return statements;
}
