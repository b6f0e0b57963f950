import {
  isEmail,
  isIban,
  isPaymentCard,
  isPhoneNumber,
  isPostcode,
  isStreetAddress,
  isUkNino,
  isUsSsn,
  personNameMatch,
} from './pii-rules';

/** The kinds of personal data Clientele looks for. */
export type PiiKind =
  | 'email'
  | 'phone'
  | 'person-name'
  | 'street-address'
  | 'postcode'
  | 'national-id'
  | 'iban'
  | 'payment-card'
  | 'birth-date';

/** Why a column was (or was nearly) flagged: its name matched a rule, or sample values did. */
export type PiiEvidence =
  | { source: 'name'; kind: PiiKind; rule: string; confidence: number }
  | { source: 'values'; kind: PiiKind; rule: string; matched: number; sampled: number };

/** What the detector concluded about one column. */
export interface PiiFinding {
  column: string;
  /** The likeliest kind, or null when nothing matched. */
  kind: PiiKind | null;
  /** 0–1; a column is `flagged` at ≥ {@link PII_FLAG_THRESHOLD}. */
  confidence: number;
  flagged: boolean;
  /** Every rule that fired (name rules, and value rules with at least one match), for the UI. */
  evidence: PiiEvidence[];
}

/** One column to examine: its name, its DuckDB type when known, and a sample of its values. */
export interface PiiColumnSample {
  name: string;
  type?: string;
  values: readonly unknown[];
}

/** Confidence at which a column is flagged as personal data. */
export const PII_FLAG_THRESHOLD = 0.5;

interface NameRule {
  kind: PiiKind;
  rule: string;
  pattern: RegExp;
  confidence: number;
}

// Tested in order against the normalised name (`firstName`, `First Name` → `first_name`).
const NAME_RULES: NameRule[] = [
  { kind: 'email', rule: 'name:email', pattern: /(^|_)(e_?mail|mail)(_?addr(ess)?)?($|_)/, confidence: 0.75 },
  { kind: 'phone', rule: 'name:phone', pattern: /(^|_)(phone|telephone|tel|mobile|cell|cellphone|fax|msisdn)(_?(no|number|num))?($|_)/, confidence: 0.75 },
  { kind: 'person-name', rule: 'name:person-name', pattern: /(^|_)(first|last|full|given|family|sur|fore|middle|maiden|display)_?name($|_)/, confidence: 0.75 },
  { kind: 'person-name', rule: 'name:person-name', pattern: /(^|_)(customer|contact|client|person|user|member|owner|holder|recipient|patient|employee|buyer)_?name($|_)/, confidence: 0.7 },
  { kind: 'person-name', rule: 'name:bare-name', pattern: /^(name|names)$/, confidence: 0.35 },
  { kind: 'street-address', rule: 'name:address', pattern: /(^|_)(address|addr|street|address_?line_?\d?|address\d|house_?number|billing_address|shipping_address)($|_)/, confidence: 0.7 },
  { kind: 'postcode', rule: 'name:postcode', pattern: /(^|_)(post_?code|postal_?code|zip|zip_?code|plz)($|_)/, confidence: 0.7 },
  { kind: 'national-id', rule: 'name:national-id', pattern: /(^|_)(ssn|social_?security(_?(no|number))?|national_?id|national_?insurance|nino|ni_?number|tax_?id|tin|passport(_?(no|number))?|nif|bsn|personnummer|driver_?licen[cs]e)($|_)/, confidence: 0.75 },
  { kind: 'iban', rule: 'name:iban', pattern: /(^|_)iban($|_)/, confidence: 0.8 },
  { kind: 'iban', rule: 'name:bank-account', pattern: /(^|_)(bank_?account|account_?number|acct_?no)($|_)/, confidence: 0.5 },
  { kind: 'payment-card', rule: 'name:card', pattern: /(^|_)(card_?(number|no|num)|credit_?card|debit_?card|cc_?(number|num|no)|pan)($|_)/, confidence: 0.75 },
  { kind: 'birth-date', rule: 'name:birth-date', pattern: /(^|_)(dob|birth_?date|date_of_birth|birthday|birth_?day|born|birth)($|_)/, confidence: 0.7 },
];

/** `customerEmail`, `E-Mail Address` → `customer_email`, `e_mail_address`. */
export function normaliseColumnName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The first name rule a column name matches (IP/MAC addresses are not street addresses). */
export function matchColumnName(name: string): NameRule | null {
  const n = normaliseColumnName(name);
  if (/(^|_)(ip|mac|ipv4|ipv6|web|url)_?address($|_)/.test(n)) return null;
  return NAME_RULES.find((r) => r.pattern.test(n)) ?? null;
}

/** Counts how many sample values each value rule accepts. */
function countValueMatches(values: readonly string[]): Map<string, { kind: PiiKind; matched: number }> {
  const checks: [string, PiiKind, (v: string) => boolean][] = [
    ['email', 'email', isEmail],
    ['phone (E.164 or national format)', 'phone', isPhoneNumber],
    ['street number + street type', 'street-address', isStreetAddress],
    ['postcode shape (UK, CA, NL, US ZIP+4)', 'postcode', isPostcode],
    ['US SSN format rules', 'national-id', isUsSsn],
    ['UK NINO format rules', 'national-id', isUkNino],
    ['IBAN mod-97 (ISO 13616)', 'iban', isIban],
    ['card number, Luhn (ISO/IEC 7812)', 'payment-card', isPaymentCard],
  ];
  const counts = new Map<string, { kind: PiiKind; matched: number }>();
  for (const [rule, kind] of checks) counts.set(rule, { kind, matched: 0 });
  counts.set('common first name + capitalised words', { kind: 'person-name', matched: 0 });
  counts.set('capitalised words only', { kind: 'person-name', matched: 0 });
  for (const v of values) {
    for (const [rule, , test] of checks) if (test(v)) counts.get(rule)!.matched++;
    const name = personNameMatch(v);
    if (name === 'listed') counts.get('common first name + capitalised words')!.matched++;
    else if (name === 'shape') counts.get('capitalised words only')!.matched++;
  }
  return counts;
}

/** Value-based confidence per kind: the share of sampled values that match (names: see below). */
function valueConfidence(counts: Map<string, { kind: PiiKind; matched: number }>, n: number): Map<PiiKind, number> {
  const out = new Map<PiiKind, number>();
  if (n === 0) return out;
  for (const { kind, matched } of counts.values()) {
    if (kind === 'person-name') continue;
    const c = (matched / n) * 0.95;
    if (c > (out.get(kind) ?? 0)) out.set(kind, c);
  }
  // Capitalised words alone are too common (cities, products) to decide: they count only when at
  // least 30% of the values start with a listed first name, and never above 0.4 on their own.
  const listed = counts.get('common first name + capitalised words')!.matched / n;
  const shaped = counts.get('capitalised words only')!.matched / n;
  out.set('person-name', listed >= 0.3 ? Math.min(0.95, (listed + shaped) * 0.95) : Math.min(0.4, (listed + shaped) * 0.4));
  return out;
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;
const NO_VALUE_RULE: ReadonlySet<PiiKind> = new Set(['birth-date', 'postcode']);
const DIGITS_ONLY_OK: ReadonlySet<PiiKind> = new Set(['phone', 'payment-card', 'national-id']);

/** The detector's verdict on one column. */
export function detectColumnPii(column: PiiColumnSample): PiiFinding {
  const values = column.values
    .filter((v) => v !== null && v !== undefined)
    .map((v) => String(v).trim())
    .filter((v) => v.length > 0);
  const n = values.length;
  const evidence: PiiEvidence[] = [];
  const nameRule = matchColumnName(column.name);
  if (nameRule) evidence.push({ source: 'name', kind: nameRule.kind, rule: nameRule.rule, confidence: nameRule.confidence });
  const counts = countValueMatches(values);
  for (const [rule, { kind, matched }] of counts) if (matched > 0) evidence.push({ source: 'values', kind, rule, matched, sampled: n });
  const byValues = valueConfidence(counts, n);

  let kind: PiiKind | null = null;
  let confidence = 0;
  for (const [k, c] of byValues) {
    if (c > confidence) {
      kind = k;
      confidence = c;
    }
  }
  if (nameRule) {
    const v = byValues.get(nameRule.kind) ?? 0;
    // A name contradicted by the values (an `email_opt_in` flag, ids in a `customer_name` column)
    // keeps half its weight, so it shows but is not flagged. Numbers are not held against kinds
    // that a numeric column can carry once leading zeros and separators are gone.
    const numeric = column.type !== undefined && NUMERIC_TYPE.test(column.type);
    const contradicted = n >= 5 && v < 0.1 && !NO_VALUE_RULE.has(nameRule.kind) && !(numeric && DIGITS_ONLY_OK.has(nameRule.kind));
    // Noisy-OR only when the values support the name on their own; weak support (capitalised
    // words under a bare `name`) does not add up to a flag.
    const fromName = contradicted ? nameRule.confidence * 0.5 : v >= PII_FLAG_THRESHOLD ? 1 - (1 - nameRule.confidence) * (1 - v) : Math.max(nameRule.confidence, v);
    if (fromName >= confidence) {
      kind = nameRule.kind;
      confidence = fromName;
    }
  }
  confidence = Math.round(confidence * 1000) / 1000;
  return { column: column.name, kind: confidence > 0 ? kind : null, confidence, flagged: confidence >= PII_FLAG_THRESHOLD, evidence };
}

/**
 * Flags personal data by column name and by a sample of values (the caller samples, e.g. 500
 * rows). Each finding says which rules fired and on how many sampled values, so the UI can show
 * why. Detection is a prompt for the analyst, not a guarantee: free-text columns can hold personal
 * data that no rule sees.
 */
export function detectPii(columns: readonly PiiColumnSample[]): PiiFinding[] {
  return columns.map(detectColumnPii);
}

const KIND_LABEL: Record<PiiKind, string> = {
  email: 'e-mail addresses',
  phone: 'phone numbers',
  'person-name': "people's names",
  'street-address': 'street addresses',
  postcode: 'postcodes',
  'national-id': 'national id numbers',
  iban: 'bank account numbers (IBAN)',
  'payment-card': 'payment card numbers',
  'birth-date': 'dates of birth',
};

/** One plain-language line per piece of evidence (the name rule first), for the UI's "why" list. */
export function explainFinding(finding: PiiFinding): string[] {
  return finding.evidence.map((e) =>
    e.source === 'name'
      ? `the column name "${finding.column}" suggests ${KIND_LABEL[e.kind]}`
      : `${e.matched} of ${e.sampled} sampled values pass the ${e.rule} check`,
  );
}

/** The analyst's word for a kind ("e-mail addresses"). */
export function piiKindLabel(kind: PiiKind): string {
  return KIND_LABEL[kind];
}
