import { AppError } from '../errors';

/** Quotes an identifier for DuckDB (same rule as services/db/sql.ts, kept here so core has no service import). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for DuckDB: `O'Brien` → `'O''Brien'`. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A `DATE 'YYYY-MM-DD'` literal; throws an AppError naming `what` when `iso` is not a calendar date. */
export function dateLiteral(iso: string, what: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCDate() !== +m[3] || d.getUTCMonth() !== +m[2] - 1) {
    throw new AppError('invalid-argument', `${what} must be a date written YYYY-MM-DD, not "${iso}".`);
  }
  return `DATE ${literal(iso)}`;
}

/** Days between two YYYY-MM-DD dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}
