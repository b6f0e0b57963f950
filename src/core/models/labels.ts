import { AppError } from '../errors';

/**
 * Class labels as the classifiers take them: `codes[i]` is the class of row i as an index into
 * `classes` (0 … K−1). Classes are sorted (numbers numerically, text by code point), as
 * scikit-learn's `np.unique`, so class 1 of a yes/no target is "yes".
 */
export interface EncodedLabels {
  codes: Int32Array;
  classes: string[];
}

/** Encodes raw labels (text or numbers) as class codes; missing labels are an error. */
export function encodeLabels(values: ArrayLike<string | number | boolean | null | undefined>): EncodedLabels {
  const seen = new Set<string>();
  let allNumbers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) {
      throw new AppError('invalid-argument', `the target is missing on row ${i + 1}; drop rows without a target before training.`);
    }
    if (typeof v !== 'number') allNumbers = false;
    seen.add(String(v));
  }
  const classes = [...seen];
  if (allNumbers) classes.sort((a, b) => Number(a) - Number(b));
  else classes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((c, k) => [c, k]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = index.get(String(values[i]))!;
  return { codes, classes };
}

/** Number of rows of each class (length `nClasses`). */
export function classCounts(codes: Int32Array, nClasses: number): Float64Array {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
  return counts;
}

/** The highest class code plus one; throws when a code is negative or not an integer. */
export function countClasses(codes: Int32Array): number {
  let k = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < 0) throw new AppError('invalid-argument', `class code ${codes[i]} on row ${i + 1} is negative.`);
    if (codes[i] + 1 > k) k = codes[i] + 1;
  }
  return k;
}

/**
 * How much each class counts in the loss: 'balanced' gives class c the weight n / (K · n_c), as
 * scikit-learn's `class_weight='balanced'` (King & Zeng 2001); an array gives explicit weights.
 */
export type ClassWeight = 'balanced' | ArrayLike<number>;

/** Per-class weights (length `nClasses`) for a class-weight setting; all 1 when none. */
export function classWeightValues(codes: Int32Array, nClasses: number, classWeight?: ClassWeight): Float64Array {
  const out = new Float64Array(nClasses).fill(1);
  if (classWeight === undefined) return out;
  if (classWeight === 'balanced') {
    const counts = classCounts(codes, nClasses);
    // sklearn's compute_class_weight counts only classes present: K is the number present.
    let present = 0;
    for (let c = 0; c < nClasses; c++) if (counts[c] > 0) present++;
    for (let c = 0; c < nClasses; c++) out[c] = counts[c] > 0 ? codes.length / (present * counts[c]) : 1;
    return out;
  }
  if (classWeight.length !== nClasses) {
    throw new AppError('invalid-argument', `${classWeight.length} class weights given for ${nClasses} classes.`);
  }
  for (let c = 0; c < nClasses; c++) out[c] = classWeight[c];
  return out;
}

/**
 * Per-row weights: the product of the row's class weight and its sample weight (when given).
 * Returns undefined when every weight would be 1, so callers can take a faster path.
 */
export function rowWeights(
  codes: Int32Array,
  nClasses: number,
  classWeight?: ClassWeight,
  sampleWeight?: ArrayLike<number>,
): Float64Array | undefined {
  if (classWeight === undefined && sampleWeight === undefined) return undefined;
  const perClass = classWeightValues(codes, nClasses, classWeight);
  const w = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) w[i] = perClass[codes[i]] * (sampleWeight ? sampleWeight[i] : 1);
  return w;
}
