import type { FeatureColumn } from './preprocess';

/**
 * An input column as it crosses a worker boundary: numbers as a Float64Array (NaN = missing), text
 * as Int32 codes into a dictionary (−1 = missing), so both travel as transferable typed arrays.
 */
export type CodedColumn =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; codes: Int32Array; dictionary: string[] };

/** Dictionary-encodes text values (null, undefined and '' become −1). */
export function encodeCategories(name: string, values: ArrayLike<string | null | undefined>): CodedColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '') {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = dictionary.length;
      index.set(v, k);
      dictionary.push(v);
    }
    codes[i] = k;
  }
  return { name, kind: 'categorical', codes, dictionary };
}

/** The preprocessing's column form of a coded column. */
export function decodeColumn(c: CodedColumn): FeatureColumn {
  if (c.kind === 'numeric') return { name: c.name, kind: 'numeric', values: c.values };
  return { name: c.name, kind: 'categorical', values: Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k])) };
}

/** The typed arrays behind coded columns (to transfer them). */
export function columnBuffers(columns: CodedColumn[]): ArrayBuffer[] {
  return columns.map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer)).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
