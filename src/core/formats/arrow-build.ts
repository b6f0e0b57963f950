import {
  Bool,
  Float64,
  Int64,
  Table,
  TimestampMillisecond,
  Utf8,
  makeBuilder,
  tableToIPC,
  type DataType,
  type Vector,
} from 'apache-arrow';

/** One column of JS values as read from JSON or a spreadsheet. */
export interface ValueColumn {
  name: string;
  values: unknown[];
}

/**
 * Makes column names usable and unique the way DuckDB's CSV reader does: a blank name becomes
 * `column{i}` (0-based), a repeated one gets `_1`, `_2`… Returns the new names and which changed.
 */
export function dedupeColumnNames(names: readonly string[]): { names: string[]; renamed: string[] } {
  const seen = new Map<string, number>();
  const renamed: string[] = [];
  const out = names.map((raw, i) => {
    let name = raw.trim() === '' ? `column${i}` : raw;
    const key = name.toLowerCase();
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    if (count > 0) name = `${name}_${count}`;
    if (name !== raw) renamed.push(raw === '' ? `(blank column ${i + 1}) → ${name}` : `${raw} → ${name}`);
    return name;
  });
  return { names: out, renamed };
}

/** The narrowest Arrow type that holds every non-null value; mixed columns become text. */
export function inferArrowType(values: readonly unknown[]): DataType {
  type Kind = 'none' | 'bool' | 'int' | 'float' | 'date' | 'text';
  let kind = 'none' as Kind;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let k: Kind;
    if (typeof v === 'boolean') k = 'bool';
    else if (typeof v === 'number') k = Number.isSafeInteger(v) ? 'int' : 'float';
    else if (typeof v === 'bigint') k = 'int';
    else if (v instanceof Date) k = 'date';
    else k = 'text';
    if (kind === 'none') kind = k;
    else if (kind !== k) {
      if ((kind === 'int' && k === 'float') || (kind === 'float' && k === 'int')) kind = 'float';
      else return new Utf8();
    }
  }
  switch (kind) {
    case 'bool':
      return new Bool();
    case 'int':
      return new Int64();
    case 'float':
      return new Float64();
    case 'date':
      return new TimestampMillisecond();
    default:
      return new Utf8();
  }
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function coerce(values: readonly unknown[], type: DataType): unknown[] {
  if (type instanceof Utf8) return values.map(toText);
  if (type instanceof Int64) return values.map((v) => (v === null || v === undefined ? null : BigInt(v as number)));
  if (type instanceof TimestampMillisecond) return values.map((v) => (v instanceof Date ? v.getTime() : null));
  return values.map((v) => (v === undefined ? null : v));
}

/**
 * A vector from JS values. Arrow's own null check (vectorFromArray) compiles a function with
 * `new Function`, which the app's Content-Security-Policy (no 'unsafe-eval') refuses; a plain
 * closure does the same job.
 */
function buildVector(values: readonly unknown[], type: DataType): Vector {
  const builder = makeBuilder({ type, nullValues: [] });
  (builder as unknown as { _isValid: (v: unknown) => boolean })._isValid = (v) => v !== null && v !== undefined;
  for (const v of values) builder.append(v);
  return builder.finish().toVector();
}

/** Builds an Arrow table from value columns, inferring each column's type. */
export function columnsToArrow(columns: readonly ValueColumn[]): Table {
  const vectors: Record<string, Vector> = {};
  for (const col of columns) {
    const type = inferArrowType(col.values);
    vectors[col.name] = buildVector(coerce(col.values, type), type);
  }
  return new Table(vectors);
}

/** Arrow IPC stream bytes for the columns: what DuckDB's insertArrowFromIPCStream takes. */
export function columnsToIPC(columns: readonly ValueColumn[]): Uint8Array {
  return tableToIPC(columnsToArrow(columns), 'stream');
}
