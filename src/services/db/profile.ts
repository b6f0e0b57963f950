import type { DbConnector } from './connector';
import { ident, literal } from './sql';

/** How a column is profiled, from its DuckDB type. */
export type ColumnKind = 'number' | 'text' | 'date' | 'boolean' | 'other';

/** One bar of a histogram: values in [x0, x1) (the last bin includes x1). */
export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/** Everything the profile shows about one column. Counts are exact (not sampled). */
export interface ColumnProfile {
  name: string;
  type: string;
  kind: ColumnKind;
  rows: number;
  missing: number;
  /** Missing as a percentage of rows (0–100). */
  missingPct: number;
  distinct: number;
  number?: { min: number; max: number; mean: number; std: number | null; q1: number; median: number; q3: number; histogram: Bin[] };
  text?: { top: { value: string; count: number }[]; minLength: number | null; maxLength: number | null };
  date?: { min: string; max: string; byMonth: { month: string; count: number }[] };
}

/** A table's profile; `columnsShown` < `columnsTotal` when a very wide table was cut. */
export interface TableProfile {
  table: string;
  rows: number;
  columnsTotal: number;
  columns: ColumnProfile[];
}

/** Profiling options: histogram bins, top values kept, widest table profiled in full. */
export interface ProfileOptions {
  bins?: number;
  top?: number;
  maxColumns?: number;
}

/** The profile kind of a DuckDB type name. */
export function kindOf(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/.test(t)) return 'number';
  if (/^(DATE|TIMESTAMP.*)$/.test(t)) return 'date';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t.startsWith('ENUM') || t === 'UUID') return 'text';
  return 'other';
}

/** The exact statistics query: one pass computing every column's counts, ranges and quartiles. */
export function statsSql(table: string, columns: { name: string; type: string }[]): string {
  const parts = ['count(*)::BIGINT AS n'];
  columns.forEach((c, i) => {
    const col = ident(c.name);
    const kind = kindOf(c.type);
    parts.push(`count(${col})::BIGINT AS c${i}_nn`);
    parts.push(kind === 'other' ? `count(DISTINCT ${col}::VARCHAR)::BIGINT AS c${i}_d` : `count(DISTINCT ${col})::BIGINT AS c${i}_d`);
    if (kind === 'number') {
      const x = `${col}::DOUBLE`;
      parts.push(`min(${x}) AS c${i}_min`, `max(${x}) AS c${i}_max`, `avg(${x}) AS c${i}_mean`, `stddev_samp(${x}) AS c${i}_std`);
      parts.push(`quantile_cont(${x}, [0.25, 0.5, 0.75]) AS c${i}_q`);
    } else if (kind === 'text') {
      parts.push(`min(length(${col}::VARCHAR)) AS c${i}_minlen`, `max(length(${col}::VARCHAR)) AS c${i}_maxlen`);
    } else if (kind === 'date') {
      parts.push(`min(${col})::VARCHAR AS c${i}_min`, `max(${col})::VARCHAR AS c${i}_max`);
    }
  });
  return `SELECT ${parts.join(',\n  ')}\nFROM ${ident(table)}`;
}

/**
 * Equal-width histogram counts for numeric columns whose range is known. (GROUP BY and ORDER BY
 * are positional in these builders: a table may have columns named like the aliases.)
 */
export function histogramSql(table: string, cols: { index: number; name: string; min: number; max: number }[], bins: number): string | null {
  const parts = cols
    .filter((c) => Number.isFinite(c.min) && Number.isFinite(c.max))
    .map((c) => {
      const width = c.max > c.min ? (c.max - c.min) / bins : 1;
      const x = `${ident(c.name)}::DOUBLE`;
      return `SELECT ${c.index} AS i, least(floor((${x} - ${c.min}) / ${width}), ${bins - 1})::INTEGER AS b, count(*)::BIGINT AS n FROM ${ident(table)} WHERE ${x} IS NOT NULL AND isfinite(${x}) GROUP BY 2`;
    });
  return parts.length ? parts.join('\nUNION ALL\n') : null;
}

/** Most frequent values of text and boolean columns (`top` per column). */
export function topValuesSql(table: string, cols: { index: number; name: string }[], top: number): string | null {
  const parts = cols.map(
    (c) => `(SELECT ${c.index} AS i, ${ident(c.name)}::VARCHAR AS v, count(*)::BIGINT AS n FROM ${ident(table)} WHERE ${ident(c.name)} IS NOT NULL GROUP BY 2 ORDER BY 3 DESC, 2 LIMIT ${top})`,
  );
  return parts.length ? parts.join('\nUNION ALL\n') : null;
}

/** Counts by calendar month for date and timestamp columns. */
export function byMonthSql(table: string, cols: { index: number; name: string }[]): string | null {
  const parts = cols.map(
    (c) => `SELECT ${c.index} AS i, strftime(date_trunc('month', ${ident(c.name)}), '%Y-%m') AS m, count(*)::BIGINT AS n FROM ${ident(table)} WHERE ${ident(c.name)} IS NOT NULL GROUP BY 2`,
  );
  return parts.length ? `SELECT * FROM (${parts.join('\nUNION ALL\n')}) ORDER BY i, m` : null;
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/**
 * Profiles every column of a table with DuckDB SQL: exact missing and distinct counts, numeric
 * summaries and histograms, top text values, date ranges and monthly counts. Tables wider than
 * `maxColumns` are profiled on their first `maxColumns` columns (the result says so).
 */
export async function profileTable(db: DbConnector, table: string, options: ProfileOptions = {}): Promise<TableProfile> {
  const bins = options.bins ?? 20;
  const top = options.top ?? 10;
  const maxColumns = options.maxColumns ?? 200;
  const described = await db.query(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${literal(table)} AND schema_name = 'main' ORDER BY column_index`);
  const all = described.toArray().map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
  const columns = all.slice(0, maxColumns);
  if (columns.length === 0) return { table, rows: 0, columnsTotal: all.length, columns: [] };

  const stats = (await db.query(statsSql(table, columns))).get(0)!.toJSON() as Record<string, unknown>;
  const rows = Number(stats.n);
  const profiles: ColumnProfile[] = columns.map((c, i) => {
    const kind = kindOf(c.type);
    const nonNull = Number(stats[`c${i}_nn`]);
    const p: ColumnProfile = {
      name: c.name,
      type: c.type,
      kind,
      rows,
      missing: rows - nonNull,
      missingPct: rows ? ((rows - nonNull) / rows) * 100 : 0,
      distinct: Number(stats[`c${i}_d`]),
    };
    if (kind === 'number' && nonNull > 0) {
      const q = stats[`c${i}_q`] as { toArray(): number[] } | null;
      const [q1, median, q3] = q ? Array.from(q.toArray(), Number) : [NaN, NaN, NaN];
      const std = num(stats[`c${i}_std`]);
      p.number = { min: num(stats[`c${i}_min`]), max: num(stats[`c${i}_max`]), mean: num(stats[`c${i}_mean`]), std: Number.isNaN(std) ? null : std, q1, median, q3, histogram: [] };
    } else if (kind === 'text' || kind === 'boolean') {
      p.text = {
        top: [],
        minLength: kind === 'text' && nonNull ? num(stats[`c${i}_minlen`]) : null,
        maxLength: kind === 'text' && nonNull ? num(stats[`c${i}_maxlen`]) : null,
      };
    } else if (kind === 'date' && nonNull > 0) {
      p.date = { min: String(stats[`c${i}_min`]), max: String(stats[`c${i}_max`]), byMonth: [] };
    }
    return p;
  });

  const numeric = profiles.flatMap((p, index) => (p.number ? [{ index, name: p.name, min: p.number.min, max: p.number.max }] : []));
  const hSql = histogramSql(table, numeric, bins);
  if (hSql) {
    for (const r of (await db.query(hSql)).toArray()) {
      const o = r.toJSON();
      const p = profiles[Number(o.i)].number!;
      const width = p.max > p.min ? (p.max - p.min) / bins : 1;
      const b = Number(o.b);
      p.histogram.push({ x0: p.min + b * width, x1: p.max > p.min ? p.min + (b + 1) * width : p.min + 1, count: Number(o.n) });
    }
    for (const p of profiles) p.number?.histogram.sort((a, b) => a.x0 - b.x0);
  }
  const textual = profiles.flatMap((p, index) => (p.text && p.rows > p.missing ? [{ index, name: p.name }] : []));
  const tSql = topValuesSql(table, textual, top);
  if (tSql) {
    for (const r of (await db.query(tSql)).toArray()) {
      const o = r.toJSON();
      profiles[Number(o.i)].text!.top.push({ value: String(o.v), count: Number(o.n) });
    }
    for (const p of profiles) p.text?.top.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  const dated = profiles.flatMap((p, index) => (p.date ? [{ index, name: p.name }] : []));
  const mSql = byMonthSql(table, dated);
  if (mSql) {
    for (const r of (await db.query(mSql)).toArray()) {
      const o = r.toJSON();
      profiles[Number(o.i)].date!.byMonth.push({ month: String(o.m), count: Number(o.n) });
    }
  }
  return { table, rows, columnsTotal: all.length, columns: profiles };
}
