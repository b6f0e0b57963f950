import { AppError, type ErrorCode } from '../../core/errors';

/**
 * A failed query: DuckDB's own message, and the SQL that produced it (as mosaic's QueryError
 * does), so an analyst or a bug report can see exactly what ran.
 */
export class QueryError extends AppError {
  readonly sql: string;

  constructor(sql: string, cause: unknown, code: ErrorCode = 'query-failed', message?: string) {
    const duckMessage = cause instanceof Error ? cause.message : String(cause);
    super(code, message ?? duckMessage, { cause });
    this.name = 'QueryError';
    this.sql = sql;
  }
}

/** `text` ending in a full stop, unless it ends in one already (or in "?" or "!"). */
export function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** DuckDB's message without its "Error type: " prefix and the long hint paragraphs. */
export function shortDuckMessage(message: string): string {
  return message.split('\n\n')[0].trim();
}
