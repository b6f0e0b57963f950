import { AppError, errorMessage } from '../core/errors';
import type { PiiFinding, PiiKind } from '../core/privacy/pii-detect';
import { createPseudonymSecret, type ColumnTransform } from '../core/privacy/transform-sql';
import { applyPrivacyTransforms, detectTablePii } from '../services/db/privacy';
import { describe } from '../services/db/catalog';
import { ident } from '../services/db/sql';
import { tableCsv } from '../services/storage/table-csv';
import { workspace } from './workspace.svelte';

/** What the analyst chose for one column. */
export type ColumnAction = 'keep' | 'pseudonymize' | 'mask' | 'generalize' | 'drop';

/** How a column can be generalised, from its type: numbers to bands, dates to months, text to prefixes. */
export type Generalization = 'age-band' | 'date-bucket' | 'postcode-prefix';

/** One column of the chosen table: what was detected and what will be done. */
export interface ColumnPlan {
  column: string;
  type: string;
  finding: PiiFinding;
  action: ColumnAction;
  /** Null when the type cannot be generalised (booleans, lists). */
  generalization: Generalization | null;
}

/** A few rows of a table rendered as text by DuckDB, for a preview. */
export interface RowPreview {
  table: string;
  columns: string[];
  rows: string[][];
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;
const TEMPORAL = /^(DATE|TIMESTAMP)/i;
const TEXT = /^VARCHAR/i;

/** The generalization a column's DuckDB type allows. */
export function generalizationFor(type: string): Generalization | null {
  if (NUMERIC.test(type)) return 'age-band';
  if (TEMPORAL.test(type)) return 'date-bucket';
  if (TEXT.test(type)) return 'postcode-prefix';
  return null;
}

const DEFAULT_ACTION: Record<PiiKind, ColumnAction> = {
  email: 'pseudonymize',
  'person-name': 'pseudonymize',
  'national-id': 'pseudonymize',
  iban: 'pseudonymize',
  phone: 'mask',
  'payment-card': 'mask',
  'street-address': 'drop',
  postcode: 'generalize',
  'birth-date': 'generalize',
};

/** The suggested action for a column: protect what was flagged, keep the rest. */
export function suggestedAction(finding: PiiFinding, generalization: Generalization | null): ColumnAction {
  if (!finding.flagged || !finding.kind) return 'keep';
  const action = DEFAULT_ACTION[finding.kind];
  return action === 'generalize' && !generalization ? 'drop' : action;
}

/** The core transform for a plan (e-mails are trimmed and lower-cased before hashing). */
export function transformFor(plan: ColumnPlan): ColumnTransform {
  switch (plan.action) {
    case 'keep':
      return { kind: 'keep' };
    case 'pseudonymize':
      return { kind: 'pseudonymize', normalise: plan.finding.kind === 'email' };
    case 'mask':
      return { kind: 'mask', keep: 4 };
    case 'drop':
      return { kind: 'drop' };
    case 'generalize':
      if (!plan.generalization) throw new AppError('invalid-argument', `column "${plan.column}" (${plan.type}) cannot be generalised: keep, mask, pseudonymize or drop it.`, { column: plan.column });
      return { kind: plan.generalization };
  }
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * The Privacy room: PII detection on a table, a per-column action, and the protected table
 * written by DuckDB (services/db/privacy.ts). Owns the session's pseudonymization secret: it is
 * created in this tab on first use, held in memory only, and saved inside encrypted workspaces
 * (never in a plain save, localStorage or IndexedDB), so the same value gets the same token in
 * every table of the session and of a restored encrypted workspace.
 */
export class PrivacyRoom {
  table = $state('');
  plans = $state<ColumnPlan[]>([]);
  scanning = $state(false);
  applying = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** 'new': write `targetName`; 'in-place': replace the table (needs `confirmInPlace`). */
  target = $state<'new' | 'in-place'>('new');
  targetName = $state('');
  confirmInPlace = $state(false);
  preview = $state<RowPreview | null>(null);
  /** First 8 hex digits of SHA-256(secret), so the analyst can tell secrets apart; null before one exists. */
  fingerprint = $state<string | null>(null);
  private secret: Uint8Array | null = null;
  private scanId = 0;

  /** Picks a table and scans it for personal data. */
  async choose(table: string): Promise<void> {
    this.table = table;
    this.targetName = table ? `${table}_protected` : '';
    this.confirmInPlace = false;
    this.error = null;
    this.notice = null;
    this.preview = null;
    await this.scan();
  }

  /** Samples the table (500 rows) and runs the detector; each column gets a suggested action. */
  async scan(): Promise<void> {
    const table = this.table;
    const id = ++this.scanId;
    this.plans = [];
    if (!table) return;
    this.scanning = true;
    try {
      const [columns, findings] = await Promise.all([describe(workspace.db, ident(table)), detectTablePii(workspace.db, table)]);
      if (id !== this.scanId) return;
      this.plans = columns.map((c, i) => {
        const generalization = generalizationFor(c.type);
        return { column: c.name, type: c.type, finding: findings[i], action: suggestedAction(findings[i], generalization), generalization };
      });
    } catch (err) {
      if (id === this.scanId) this.error = errorMessage(err);
    } finally {
      if (id === this.scanId) this.scanning = false;
    }
  }

  /** The secret, created on first use. */
  private async ensureSecret(): Promise<Uint8Array> {
    if (!this.secret) await this.useSecret(createPseudonymSecret());
    return this.secret!;
  }

  private async useSecret(secret: Uint8Array): Promise<void> {
    this.secret = secret;
    this.fingerprint = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', secret as Uint8Array<ArrayBuffer>))).slice(0, 8);
  }

  /** Replaces the secret: tokens made from now on will not match earlier ones. */
  async rotateSecret(): Promise<void> {
    await this.useSecret(createPseudonymSecret());
    this.notice = `A new secret (fingerprint ${this.fingerprint}) will be used from now on; earlier tokens will no longer match new ones.`;
  }

  /** The settings a workspace keeps: the secret only inside an encrypted save. */
  saveSettings(encrypted: boolean): { secret?: string } {
    return encrypted && this.secret ? { secret: hex(this.secret) } : {};
  }

  /** Takes the secret back from a restored workspace. */
  async restoreSettings(value: unknown): Promise<void> {
    const secret = (value as { secret?: unknown } | null)?.secret;
    if (typeof secret === 'string' && /^([0-9a-f]{2}){16,64}$/.test(secret)) {
      await this.useSecret(new Uint8Array(secret.match(/../g)!.map((h) => parseInt(h, 16))));
    }
  }

  /** Writes the protected table (or replaces the table in place, once confirmed). */
  async apply(): Promise<void> {
    const source = this.table;
    if (!source || this.applying) return;
    this.error = null;
    this.notice = null;
    const inPlace = this.target === 'in-place';
    const target = inPlace ? source : this.targetName.trim();
    try {
      if (!target) throw new AppError('invalid-argument', 'type a name for the protected table.');
      if (inPlace && !this.confirmInPlace) throw new AppError('invalid-argument', `replacing "${source}" in place loses its original values: tick the confirmation first, or write a new table.`);
      if (!inPlace && target !== source && workspace.tables.some((t) => t.name === target) && target !== `${source}_protected`) {
        throw new AppError('invalid-argument', `a table called "${target}" already exists: choose another name.`);
      }
      const transforms = Object.fromEntries(this.plans.filter((p) => p.action !== 'keep').map((p) => [p.column, transformFor(p)]));
      if (Object.keys(transforms).length === 0) throw new AppError('invalid-argument', `every column of "${source}" is set to Keep: choose an action for at least one column.`);
      this.applying = true;
      const secret = Object.values(transforms).some((t) => t.kind === 'pseudonymize') ? await this.ensureSecret() : undefined;
      const request = { source, target, transforms, secret };
      await applyPrivacyTransforms(workspace.db, request);
      workspace.rememberJob((db) => applyPrivacyTransforms(db, request));
      const counts = (['pseudonymize', 'mask', 'generalize', 'drop'] as const)
        .map((a) => [a, this.plans.filter((p) => p.action === a).length] as const)
        .filter(([, n]) => n > 0)
        .map(([a, n]) => `${n} ${a === 'pseudonymize' ? 'pseudonymized' : a === 'mask' ? 'masked' : a === 'generalize' ? 'generalized' : 'dropped'}`);
      await workspace.refresh(target);
      this.preview = await previewRows(target);
      this.notice = `${inPlace ? 'Replaced' : 'Wrote'} ${target}: ${counts.join(', ')}.`;
      if (inPlace) await this.scan();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.applying = false;
    }
  }

  /** The CSV text of a table (the caller asks the export guard first). */
  csvOf(table: string): Promise<string> {
    return tableCsv(workspace.db, table);
  }
}

/** The first `limit` rows of `table`, every value rendered as text by DuckDB. */
export async function previewRows(table: string, limit = 5): Promise<RowPreview> {
  const result = await workspace.db.query(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM ${ident(table)} LIMIT ${limit}`);
  const columns = result.schema.fields.map((f) => f.name);
  const rows = result.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    return columns.map((c) => (o[c] === null || o[c] === undefined ? '' : String(o[c])));
  });
  return { table, columns, rows };
}

/** The app's one Privacy room state. */
export const privacy = new PrivacyRoom();
