/**
 * Recipe steps suggested from a table's column profile and a few cheap DuckDB checks: missing
 * values, text that holds dates or numbers, duplicate keys and rows, category spellings that
 * differ only by case or whitespace, blanks, values outside a plausible range, IQR outliers and
 * heavy right skew. Pure: the caller runs {@link suggestionChecks}' SQL and passes the rows back.
 */
import { ident, literal, numberLiteral, typeFamily } from './sql-text';
import type { RecipeStep, RecipeStepBody } from './types';

/** What the suggestions read of a column profile (a subset of services/db/profile ColumnProfile). */
export interface ProfiledColumn {
  name: string;
  type: string;
  rows: number;
  missing: number;
  distinct: number;
  number?: { min: number; max: number; mean: number; std: number | null; q1: number; median: number; q3: number };
}

/** A suggested step: the sentence shown to the analyst and the step one click adds. */
export interface Suggestion {
  /** Stable key (kind + column), so an accepted or dismissed suggestion can be recognised. */
  key: string;
  message: string;
  step: RecipeStepBody;
}

/** Date formats tried on text columns, most common first (strptime specifiers). */
export const DATE_FORMATS = ['%Y-%m-%d', '%d/%m/%Y', '%m/%d/%Y', '%Y/%m/%d', '%d.%m.%Y', '%Y-%m-%d %H:%M:%S', '%d-%m-%Y'] as const;

/** Rows the type-sniffing checks look at (the first ones of the table). */
export const SNIFF_ROWS = 10_000;
/** Share of non-missing values that must parse before a date/number conversion is suggested. */
export const PARSE_SHARE = 0.9;
/** Text columns with at most this many distinct values are checked for spelling variants. */
export const MAX_CATEGORIES = 200;
/** Pearson's second skewness coefficient 3·(mean − median)/sd above which log1p is suggested. */
export const SKEW_LIMIT = 0.5;

/** Plausible ranges by column name (inclusive). */
const RANGES: { name: RegExp; min: number; max?: number; what: string }[] = [
  { name: /(^|_)age$/i, min: 0, max: 120, what: 'an age' },
  { name: /(^|_)(pct|percent|percentage)$/i, min: 0, max: 100, what: 'a percentage' },
  { name: /(price|amount|quantity|qty|spend|income|revenue|cost|total)/i, min: 0, what: 'an amount' },
];

const isText = (c: ProfiledColumn) => typeFamily(c.type) === 'text';
const isNumber = (c: ProfiledColumn) => typeFamily(c.type) === 'number';
const looksLikeKey = (c: ProfiledColumn) => /(^|_)(id|key|code|number|no)$/i.test(c.name) || /id$/.test(c.name);

/** One check query: its id and SQL; pass its rows back under the same id. */
export interface SuggestionCheck {
  id: 'parse' | 'values' | 'ranges' | 'duplicates';
  sql: string;
}

/** The cheap checks behind the suggestions, as DuckDB SQL over `table` (at most four queries). */
export function suggestionChecks(table: string, columns: ProfiledColumn[]): SuggestionCheck[] {
  const t = ident(table);
  const checks: SuggestionCheck[] = [];
  const text = columns.filter((c) => isText(c) && c.rows > c.missing);
  if (text.length) {
    const parts = text.flatMap((c) => [
      `count(${ident(c.name)})::BIGINT AS ${ident(`${c.name}|n`)}`,
      `count(try_cast(trim(${ident(c.name)}) AS DOUBLE))::BIGINT AS ${ident(`${c.name}|number`)}`,
      ...DATE_FORMATS.map((f, i) => `count(try_strptime(trim(${ident(c.name)}), ${literal(f)}))::BIGINT AS ${ident(`${c.name}|date${i}`)}`),
    ]);
    checks.push({ id: 'parse', sql: `SELECT ${parts.join(', ')} FROM (SELECT * FROM ${t} LIMIT ${SNIFF_ROWS})` });
  }
  const categories = text.filter((c) => c.distinct <= MAX_CATEGORIES);
  if (categories.length) {
    checks.push({
      id: 'values',
      sql: categories.map((c) => `SELECT ${literal(c.name)} AS col, ${ident(c.name)}::VARCHAR AS value, count(*)::BIGINT AS n FROM ${t} WHERE ${ident(c.name)} IS NOT NULL GROUP BY 2`).join(' UNION ALL '),
    });
  }
  const parts: string[] = [];
  for (const c of columns.filter((x) => isNumber(x) && x.number)) {
    const x = `${ident(c.name)}::DOUBLE`;
    const range = RANGES.find((r) => r.name.test(c.name));
    if (range) parts.push(`count_if(${x} < ${numberLiteral(range.min)}${range.max !== undefined ? ` OR ${x} > ${numberLiteral(range.max)}` : ''})::BIGINT AS ${ident(`${c.name}|range`)}`);
    const { q1, q3 } = c.number!;
    if (Number.isFinite(q1) && Number.isFinite(q3) && q3 > q1) {
      const k = 1.5 * (q3 - q1);
      parts.push(`count_if(${x} < ${numberLiteral(q1 - k)} OR ${x} > ${numberLiteral(q3 + k)})::BIGINT AS ${ident(`${c.name}|iqr`)}`);
    }
  }
  if (parts.length) checks.push({ id: 'ranges', sql: `SELECT ${parts.join(', ')} FROM ${t}` });
  checks.push({ id: 'duplicates', sql: `SELECT (SELECT count(*) FROM ${t}) - (SELECT count(*) FROM (SELECT DISTINCT * FROM ${t}))::BIGINT AS exact` });
  return checks;
}

/** Rows of each check, by check id (values as numbers or strings). */
export type CheckRows = Partial<Record<SuggestionCheck['id'], Record<string, unknown>[]>>;

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const plural = (k: number, one: string, many = `${one}s`) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;

/** Groups of spellings that are equal after trim + lower-case; each maps to its most frequent spelling. */
export function spellingGroups(values: { value: string; n: number }[]): { canonical: string; spellings: string[] }[] {
  const groups = new Map<string, { value: string; n: number }[]>();
  for (const v of values) {
    const key = v.value.trim().toLowerCase();
    if (!key) continue;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => {
      const sorted = [...g].sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
      return { canonical: sorted[0].value.trim(), spellings: sorted.map((x) => x.value).filter((s) => s !== sorted[0].value.trim()) };
    })
    .sort((a, b) => a.canonical.localeCompare(b.canonical));
}

/** True when `steps` already hold a step of this kind on this column (the suggestion was taken). */
function taken(steps: readonly RecipeStepBody[], kind: RecipeStepBody['kind'], column?: string): boolean {
  return steps.some((s) => s.kind === kind && (column === undefined || ('column' in s && s.column === column)));
}

/**
 * Suggested steps for a table, from its column profile and the rows of its checks, leaving out
 * those the recipe `steps` already contain. Ordered as they would best run: duplicates, types,
 * spellings, ranges, missing values, outliers, skew.
 */
export function suggestSteps(columns: ProfiledColumn[], results: CheckRows, steps: readonly (RecipeStep | RecipeStepBody)[] = []): Suggestion[] {
  const out: Suggestion[] = [];
  const add = (key: string, message: string, step: RecipeStepBody) => {
    if (!taken(steps, step.kind, 'column' in step ? step.column : undefined)) out.push({ key, message, step });
  };
  const rows = columns[0]?.rows ?? 0;

  const exact = n(results.duplicates?.[0]?.exact);
  if (exact > 0) add('dedupe', `${plural(exact, 'row')} ${exact === 1 ? 'is an exact duplicate' : 'are exact duplicates'} of another: remove duplicates?`, { kind: 'dedupe' });
  for (const c of columns.filter(looksLikeKey)) {
    const dupes = c.rows - c.missing - c.distinct;
    if (dupes > 0 && c.distinct > 0.5 * (c.rows - c.missing) && !taken(steps, 'dedupe')) {
      out.push({ key: `dedupe:${c.name}`, message: `${c.name} has ${plural(dupes, 'duplicate')}: keep one row per ${c.name}?`, step: { kind: 'dedupe', keys: [c.name], keep: 'first' } });
    }
  }

  const parse = results.parse?.[0] ?? {};
  const values = results.values ?? [];
  for (const c of columns.filter(isText)) {
    const nonMissing = n(parse[`${c.name}|n`]);
    if (nonMissing === 0) continue;
    const dates = DATE_FORMATS.map((f, i) => ({ f, k: n(parse[`${c.name}|date${i}`]) })).sort((a, b) => b.k - a.k)[0];
    const numbers = n(parse[`${c.name}|number`]);
    if (dates && dates.k >= PARSE_SHARE * nonMissing) {
      add(`parse-date:${c.name}`, `${c.name} is text that looks like dates (${dates.f}): parse it as dates?`, { kind: 'parse-date', column: c.name, format: dates.f, to: dates.f.includes('%H') ? 'TIMESTAMP' : 'DATE' });
    } else if (numbers >= PARSE_SHARE * nonMissing) {
      const bad = nonMissing - numbers;
      add(`cast:${c.name}`, `${c.name} is text that holds numbers${bad ? ` (${plural(bad, 'value')} in the first ${SNIFF_ROWS.toLocaleString('en-US')} rows would not convert)` : ''}: change its type to a number?`, { kind: 'cast', column: c.name, to: 'DOUBLE' });
    }
    const spellings = values.filter((v) => v.col === c.name).map((v) => ({ value: String(v.value), n: n(v.n) }));
    const groups = spellingGroups(spellings);
    const blanks = spellings.filter((v) => v.value.trim() === '').sort((a, b) => a.value.length - b.value.length || a.value.localeCompare(b.value));
    if (groups.length || blanks.length) {
      const mapping = [
        ...groups.flatMap((g) => g.spellings.map((s) => ({ from: s, to: g.canonical }))),
        ...blanks.map((b) => ({ from: b.value, to: null })),
      ];
      const blankCount = blanks.reduce((s, b) => s + b.n, 0);
      const what = [
        groups.length ? `spellings differing only by case/whitespace (${groups.slice(0, 3).map((g) => [g.canonical, ...g.spellings].map((s) => `'${s}'`).join(' / ')).join('; ')})` : '',
        blankCount ? `${plural(blankCount, 'blank value')}` : '',
      ].filter(Boolean).join(' and ');
      add(`map-values:${c.name}`, `${c.name} has ${what}: map them${groups.length ? ' to one spelling' : ''}${blankCount ? ', blanks to missing' : ''}?`, { kind: 'map-values', column: c.name, mapping, unmatched: 'keep' });
    }
  }

  const ranges = results.ranges?.[0] ?? {};
  for (const c of columns.filter(isNumber)) {
    const range = RANGES.find((r) => r.name.test(c.name));
    const outside = n(ranges[`${c.name}|range`]);
    if (range && outside > 0) {
      const bounds = range.max !== undefined ? `outside ${range.min}–${range.max}` : `below ${range.min}`;
      add(`range-rule:${c.name}`, `${c.name} has ${plural(outside, 'value')} ${bounds}, implausible for ${range.what}: set them to missing?`, { kind: 'range-rule', column: c.name, min: range.min, max: range.max, action: 'null' });
    }
  }

  for (const c of columns) {
    if (c.missing === 0 || c.missing === c.rows) continue;
    const p = c.number;
    const skewed = p && p.std ? (3 * (p.mean - p.median)) / p.std > SKEW_LIMIT : false;
    const label = `${plural(c.missing, 'missing value')} in ${c.name}`;
    if (isNumber(c)) add(`missing:${c.name}`, `${label}: fill with the ${skewed ? 'median (the values are skewed)' : 'mean'}?`, { kind: 'missing', column: c.name, strategy: skewed ? 'median' : 'mean', indicator: c.missing / c.rows > 0.05 });
    else if (c.missing / c.rows > 0.5) add(`missing:${c.name}`, `${c.name} is missing in ${Math.round((100 * c.missing) / c.rows)} % of rows: keep only an is-missing indicator?`, { kind: 'missing', column: c.name, strategy: 'indicator' });
    else add(`missing:${c.name}`, `${label}: fill with the most frequent value?`, { kind: 'missing', column: c.name, strategy: 'mode' });
  }

  for (const c of columns.filter((x) => isNumber(x) && x.number && !looksLikeKey(x))) {
    const p = c.number!;
    const iqr = n(ranges[`${c.name}|iqr`]);
    const skew = p.std ? (3 * (p.mean - p.median)) / p.std : 0;
    if (skew > SKEW_LIMIT && p.min >= 0) {
      add(`log1p:${c.name}`, `${c.name} is heavily skewed (mean ${p.mean.toPrecision(3)} vs median ${p.median.toPrecision(3)}): add log1p(${c.name})?`, { kind: 'log1p', column: c.name, as: `${c.name}_log` });
    } else if (iqr > 0 && iqr < 0.05 * rows) {
      add(`outliers:${c.name}`, `${c.name} has ${plural(iqr, 'value')} outside the IQR fences: clip them (winsorize)?`, { kind: 'outliers', column: c.name, method: 'iqr', action: 'clip' });
    }
  }
  return out;
}
