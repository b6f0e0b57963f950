/**
 * Errors that reach the analyst. Every error carries a stable `code` (errors cross worker
 * boundaries as plain `name`/`message`/`stack`, so callers tell them apart by `code`, never by
 * `instanceof`), a human message that names the file/column/value and says what to do, and the
 * underlying `cause`.
 */
export type ErrorCode =
  | 'aborted'
  | 'bad-input'
  | 'unsupported-format'
  | 'empty-file'
  | 'encrypted-file'
  | 'query-failed'
  | 'engine-crashed'
  | 'engine-timeout'
  | 'network-blocked'
  | 'not-found'
  | 'invalid-argument'
  | 'too-large'
  | 'wrong-passphrase'
  | 'tampered';

/** An error meant for the analyst: `message` says what happened and what to do. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** File the error is about, when there is one. */
  readonly file?: string;
  /** 1-based line in that file, when known. */
  readonly line?: number;
  /** Column involved, when known. */
  readonly column?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; file?: string; line?: number; column?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

/** The error thrown when a running job is cancelled; the UI shows nothing for it. */
export class AbortError extends AppError {
  constructor(message = 'The job was cancelled.') {
    super('aborted', message);
    this.name = 'AbortError';
  }
}

/** True for a cancellation, whichever side of a worker boundary it came from. */
export function isAbort(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: string; code?: string };
  return e.name === 'AbortError' || e.code === 'aborted';
}

/** Throws an AbortError when the signal has fired; call between iterations of long work. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** The message of anything thrown, for display. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return String(err);
}

/** The `code` of anything thrown (AppError or a plain object that crossed a worker boundary). */
export function errorCode(err: unknown): ErrorCode | undefined {
  if (err && typeof err === 'object' && 'code' in err) return (err as { code: ErrorCode }).code;
  return undefined;
}
