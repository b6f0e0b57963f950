/**
 * Pure SQL text helpers for the recipe compiler (core must not import services; these match
 * src/services/db/sql.ts). DuckDB dialect.
 */

/** Quotes an identifier: `my "col"` → `"my ""col"""`. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal: `O'Brien` → `'O''Brien'`. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A DOUBLE literal that round-trips exactly: `'0.1'::DOUBLE` (a bare `0.1` would be parsed as
 * DECIMAL first). NaN and ±Infinity use DuckDB's spellings.
 */
export function numberLiteral(x: number): string {
  if (Number.isNaN(x)) return `'nan'::DOUBLE`;
  if (!Number.isFinite(x)) return x > 0 ? `'inf'::DOUBLE` : `'-inf'::DOUBLE`;
  return `'${String(x)}'::DOUBLE`;
}

/** An integer literal (throws on a non-integer: callers validate first). */
export function intLiteral(x: number): string {
  if (!Number.isInteger(x)) throw new Error(`not an integer: ${x}`);
  return String(x);
}

/** A literal for a JSON scalar: number → DOUBLE, boolean → TRUE/FALSE, string → quoted, null → NULL. */
export function valueLiteral(v: string | number | boolean | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return numberLiteral(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return literal(v);
}

/**
 * A DuckDB type name safe to inline (letters, digits, spaces, parentheses, commas, underscores):
 * types come from DESCRIBE or from a recipe file, and a file must not smuggle SQL in.
 */
export function safeTypeName(type: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_ (),]*$/.test(type)) throw new Error(`not a DuckDB type name: ${type}`);
  return type;
}

/** Broad families of DuckDB types, for checks like "this step needs a number". */
export type TypeFamily = 'number' | 'text' | 'temporal' | 'boolean' | 'other';

/** The family of a DuckDB type name as DESCRIBE prints it. */
export function typeFamily(type: string): TypeFamily {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return 'number';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)/.test(t)) return 'text';
  if (/^(DATE|TIME|TIMESTAMP|INTERVAL)/.test(t)) return 'temporal';
  if (t === 'BOOLEAN') return 'boolean';
  return 'other';
}

/**
 * What keeps `sql` (an expression or condition typed by the analyst) from being one expression
 * that can be put in a view, or null: a statement separator or comment outside quotes (it could
 * end the view and start another statement), a quote or parenthesis left open, a ")" without its
 * "(", or nothing at all. DuckDB's own message for these would point at the SQL around the
 * expression (`syntax error at or near "AS"`), which the analyst never typed.
 */
export function expressionProblem(sql: string): string | null {
  if (sql.trim() === '') return 'it is empty';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ';' || (ch === '-' && sql[i + 1] === '-') || (ch === '/' && sql[i + 1] === '*')) return 'it holds a ";" or a comment';
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return `the ")" at character ${i + 1} has no "(" before it`;
  }
  if (quote) return `a ${quote} quote is not closed`;
  if (depth > 0) return depth === 1 ? 'a "(" is not closed' : `${depth} "(" are not closed`;
  return null;
}

/** True when `sql` is one expression: see {@link expressionProblem}. */
export function isSingleExpression(sql: string): boolean {
  return expressionProblem(sql) === null;
}
