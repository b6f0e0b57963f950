/** SQL text builders for DuckDB: quoting that is safe for any name or value an analyst brings. */

/** Quotes an identifier (table or column name) for DuckDB: `my "col"` → `"my ""col"""`. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal: `O'Brien` → `'O''Brien'`. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL list literal of strings: ['a.csv', 'b.csv']. */
export function literalList(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}

/**
 * Turns a file name into a table name an analyst would type: `Orders 2024.csv` → `orders_2024`.
 * Names that would start with a digit get a `t_` prefix.
 */
export function tableNameFromFile(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, '').replace(/\.(csv|tsv|json|ndjson|jsonl)$/i, '');
  let name = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!name) name = 'table';
  if (/^[0-9]/.test(name)) name = `t_${name}`;
  return name;
}

/** Returns `name`, or `name_2`, `name_3`… — the first one not in `taken`. */
export function uniqueName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  if (!used.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name}_${i}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
