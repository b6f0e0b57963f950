/**
 * Which columns of a transactions table (one row per order or order line) play the roles the CRM
 * analyses need: who bought, when, and how much; optionally which order, product and category.
 */
export interface TransactionColumns {
  /** Table (or view) name, unquoted. */
  table: string;
  customer: string;
  /** A DATE or TIMESTAMP column (or text DuckDB can cast to one). */
  date: string;
  /** Order value in currency units. */
  amount: string;
  /** When set, frequency counts distinct order ids rather than rows (order-line tables). */
  orderId?: string;
  product?: string;
  category?: string;
}

/** A column as DuckDB describes it (`DESCRIBE` / information_schema): name and type name. */
export interface ColumnInfo {
  name: string;
  /** DuckDB type name, e.g. BIGINT, VARCHAR, TIMESTAMP, DECIMAL(10,2). */
  type: string;
}

/** The roles a column can play in a transactions table. */
export type TransactionRole = 'customer' | 'date' | 'amount' | 'orderId' | 'product' | 'category';

/** A suggested mapping: the best column per role (null when none fits) and every candidate scored. */
export interface ColumnMappingSuggestion {
  mapping: Record<TransactionRole, string | null>;
  /** Candidates per role, best first, with a score in (0, 1]. */
  candidates: Record<TransactionRole, { column: string; score: number }[]>;
  /** True when customer, date and amount were all found. */
  complete: boolean;
}

type Kind = 'integer' | 'decimal' | 'text' | 'temporal' | 'date-text' | 'other';

function kindOf(type: string): Kind {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)\b/.test(t)) return 'integer';
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC)\b/.test(t)) return 'decimal';
  if (/^(DATE|TIMESTAMP)/.test(t)) return 'temporal';
  if (/^(VARCHAR|TEXT|STRING|UUID)\b/.test(t)) return 'text';
  return 'other';
}

/** Name patterns per role, strongest first; each matching pattern adds its weight. */
const NAME_RULES: Record<TransactionRole, [RegExp, number][]> = {
  customer: [[/^(customer|client|cust|member|user|buyer|shopper|account)[_ ]?(id|no|number|key|code)?$/, 1], [/(customer|client|cust|member|buyer|shopper)/, 0.7], [/^(user|account)/, 0.5]],
  date: [[/^(order|purchase|transaction|invoice|sale|txn)[_ ]?(date|time|datetime|timestamp|ts|at)$/, 1], [/(date|time|timestamp|_at$|^at$|day)/, 0.6]],
  amount: [[/^(amount|revenue|sales|total|order[_ ]?(value|total|amount)|net[_ ]?(sales|amount)|gross|spend|value|price[_ ]?total|line[_ ]?total)$/, 1], [/(amount|revenue|sales|total|spend|value|price|paid|gmv|monetary)/, 0.6]],
  orderId: [[/^(order|invoice|transaction|txn|receipt|basket|bill)[_ ]?(id|no|number|key|code)?$/, 1], [/(order|invoice|transaction|receipt|basket)/, 0.5]],
  product: [[/^(product|item|sku|article|stock[_ ]?code)[_ ]?(id|name|code|description)?$/, 1], [/(product|item|sku|article|description)/, 0.6]],
  category: [[/^(category|product[_ ]?category|department|dept|segment|family|class)$/, 1], [/(categ|department|family|group)/, 0.6]],
};

/** How well a column's kind fits a role (0 = cannot). */
const KIND_FIT: Record<TransactionRole, Partial<Record<Kind, number>>> = {
  customer: { integer: 1, text: 1, decimal: 0.5, other: 0.3 },
  date: { temporal: 1, 'date-text': 0.6, text: 0.3 },
  amount: { decimal: 1, integer: 0.7 },
  orderId: { integer: 1, text: 1, decimal: 0.5, other: 0.3 },
  product: { text: 1, integer: 0.6 },
  category: { text: 1 },
};

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/[\s\-.]+/g, '_');
}

/**
 * Suggests which column plays each role, from the column names (English CRM vocabulary: customer
 * id, order date, amount…) and their DuckDB types (a date must be DATE/TIMESTAMP or text, an
 * amount numeric, an id integer or text). Each column is assigned to at most one role, strongest
 * match first; a role with no column whose name and type both fit stays null. The analyst
 * confirms or changes the result.
 */
export function suggestColumnMapping(columns: readonly ColumnInfo[]): ColumnMappingSuggestion {
  const roles = Object.keys(NAME_RULES) as TransactionRole[];
  const candidates = {} as ColumnMappingSuggestion['candidates'];
  const pairs: { role: TransactionRole; column: string; score: number }[] = [];
  for (const role of roles) {
    candidates[role] = [];
    for (const col of columns) {
      const name = normalize(col.name);
      let kind = kindOf(col.type);
      if (kind === 'text' && role === 'date' && /(date|time|_at$|day)/.test(name)) kind = 'date-text';
      const fit = KIND_FIT[role][kind] ?? 0;
      const nameScore = Math.max(0, ...NAME_RULES[role].filter(([re]) => re.test(name)).map(([, w]) => w));
      // A date column is recognizable by type alone; other roles need a name hint.
      const score = fit * (role === 'date' && kind === 'temporal' ? 0.4 + 0.6 * nameScore : nameScore);
      if (score > 0) {
        candidates[role].push({ column: col.name, score: Math.round(score * 100) / 100 });
        pairs.push({ role, column: col.name, score });
      }
    }
    candidates[role].sort((a, b) => b.score - a.score);
  }
  const mapping = Object.fromEntries(roles.map((r) => [r, null])) as Record<TransactionRole, string | null>;
  const used = new Set<string>();
  // Required roles pick first; within that, higher scores first.
  const priority = (r: TransactionRole) => (r === 'customer' || r === 'date' || r === 'amount' ? 1 : 0);
  pairs.sort((p, q) => priority(q.role) - priority(p.role) || q.score - p.score);
  for (const p of pairs) {
    if (mapping[p.role] !== null || used.has(p.column)) continue;
    mapping[p.role] = p.column;
    used.add(p.column);
  }
  return { mapping, candidates, complete: mapping.customer !== null && mapping.date !== null && mapping.amount !== null };
}
