import { errorMessage } from '../core/errors';
import { normaliseColumnName, type PiiFinding } from '../core/privacy/pii-detect';
import { detectTablePii, kAnonymityReport, type KAnonymityReport } from '../services/db/privacy';
import { describe } from '../services/db/catalog';
import { ident } from '../services/db/sql';
import { workspace } from './workspace.svelte';

/** What is about to leave the app: a table, or some of its columns. */
export interface ExportRequest {
  table: string;
  /** What the file is, for the dialog's title ("customers as CSV"). */
  what: string;
  /** The columns whose values end up in the file; all of the table's when absent. */
  columns?: readonly string[];
}

// Attributes that are not identifiers on their own but single people out in combination
// (Sweeney 2002: ZIP, birth date and sex identify most Americans).
const QUASI_NAME = /(^|_)(age|gender|sex|region|city|town|country|state|county|zip|zip_?code|post_?code|postal_?code|birth|birth_?date|dob|marital|ethnicity|race|occupation|job|nationality)($|_)/;

/** Columns that look like quasi-identifiers, from their names and the PII detector's postcode/birth-date findings. */
export function suggestQuasiIdentifiers(columns: readonly string[], findings: readonly PiiFinding[]): string[] {
  const byFinding = new Set(findings.filter((f) => f.kind === 'postcode' || f.kind === 'birth-date').map((f) => f.column));
  return columns.filter((c) => byFinding.has(c) || QUASI_NAME.test(normaliseColumnName(c)));
}

/**
 * The check every export goes through: the PII columns still in what is exported, and a
 * k-anonymity report (computed by DuckDB) on quasi-identifiers the analyst picks. Rooms call
 * {@link confirmExport} and export only when it resolves true; ExportGuard.svelte shows it.
 */
export class ExportGuard {
  /** Raw, not a deep proxy: the pending checks compare it by identity. */
  request = $state.raw<ExportRequest | null>(null);
  /** Columns of the export the detector flags as personal data; null while scanning. */
  pii = $state.raw<PiiFinding[] | null>(null);
  /** The exported columns, the choices for quasi-identifiers. */
  columns = $state<string[]>([]);
  quasi = $state<string[]>([]);
  k = $state(5);
  report = $state.raw<KAnonymityReport | null>(null);
  checking = $state(false);
  error = $state<string | null>(null);
  private resolve: ((ok: boolean) => void) | null = null;

  /** Opens the check for `request`; resolves true when the analyst confirms, false on cancel. */
  open(request: ExportRequest): Promise<boolean> {
    this.resolve?.(false);
    this.request = request;
    this.pii = null;
    this.report = null;
    this.error = null;
    this.quasi = [];
    this.columns = [];
    const answer = new Promise<boolean>((resolve) => (this.resolve = resolve));
    void this.scan(request);
    return answer;
  }

  private async scan(request: ExportRequest): Promise<void> {
    try {
      const all = (await describe(workspace.db, ident(request.table))).map((c) => c.name);
      const wanted = request.columns ? new Set(request.columns) : null;
      const columns = wanted ? all.filter((c) => wanted.has(c)) : all;
      const findings = (await detectTablePii(workspace.db, request.table)).filter((f) => columns.includes(f.column));
      if (this.request !== request) return;
      this.columns = columns;
      this.pii = findings.filter((f) => f.flagged);
      this.quasi = suggestQuasiIdentifiers(columns, findings);
      if (this.quasi.length > 0) await this.checkK();
    } catch (err) {
      if (this.request === request) this.error = errorMessage(err);
    }
  }

  /** Recomputes the k-anonymity report on the chosen quasi-identifiers. */
  async checkK(): Promise<void> {
    const request = this.request;
    if (!request) return;
    this.error = null;
    if (this.quasi.length === 0) {
      this.report = null;
      return;
    }
    this.checking = true;
    try {
      const report = await kAnonymityReport(workspace.db, request.table, this.quasi, Math.round(this.k));
      if (this.request === request) this.report = report;
    } catch (err) {
      if (this.request === request) this.error = errorMessage(err);
    } finally {
      this.checking = false;
    }
  }

  /** Closes the check with the analyst's answer. */
  answer(ok: boolean): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.request = null;
    resolve?.(ok);
  }
}

/** The app's one export guard. */
export const exportGuard = new ExportGuard();

/**
 * Asks the analyst before `table` (or some of its columns) leaves the app: resolves true to go
 * ahead. Show `<ExportGuard />` (components/privacy) in the component that calls this.
 */
export function confirmExport(table: string, options: { what?: string; columns?: readonly string[] } = {}): Promise<boolean> {
  return exportGuard.open({ table, what: options.what ?? `${table} as a file`, columns: options.columns });
}
