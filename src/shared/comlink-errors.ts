import * as Comlink from 'comlink';

/** Fields of an error that must survive a worker boundary (Comlink keeps only name/message/stack). */
interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  file?: string;
  line?: number;
  column?: string;
}

/**
 * Makes thrown errors keep their `code`, `file`, `line` and `column` across a Comlink boundary,
 * so callers tell errors apart by code. Call once on each side (worker and client).
 */
export function installErrorTransfer(): void {
  Comlink.transferHandlers.set('throw', {
    // Comlink marks thrown values with a private symbol named "Comlink.thrown" (not exported).
    canHandle: (value: unknown): value is { value: unknown } =>
      typeof value === 'object' && value !== null && Object.getOwnPropertySymbols(value).some((s) => s.description === 'Comlink.thrown'),
    serialize(wrapped: { value: unknown }) {
      const err = wrapped.value;
      let payload: { isError: boolean; value: SerializedError | unknown };
      if (err instanceof Error) {
        const e = err as Error & Partial<SerializedError>;
        payload = { isError: true, value: { name: e.name, message: e.message, stack: e.stack, code: e.code, file: e.file, line: e.line, column: e.column } };
      } else payload = { isError: false, value: err };
      return [payload, []];
    },
    deserialize(payload: { isError: boolean; value: unknown }) {
      if (payload.isError) {
        const v = payload.value as SerializedError;
        throw Object.assign(new Error(v.message), v);
      }
      throw payload.value;
    },
  } as unknown as Comlink.TransferHandler<unknown, unknown>);
}
