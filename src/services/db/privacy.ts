import { columnsToIPC } from '../../core/formats/arrow-build';
import { AppError } from '../../core/errors';
import { detectPii, type PiiFinding } from '../../core/privacy/pii-detect';
import {
  kAnonymityGroupsSql,
  kAnonymitySql,
  privacyTransformSql,
  pseudonymKeyPads,
  PSEUDONYM_KEY_TABLE,
  type ColumnTransform,
} from '../../core/privacy/transform-sql';
import type { DbConnector } from './connector';
import { describe } from './catalog';
import { ident } from './sql';

/** Sampling for PII detection: rows drawn (reservoir, fixed seed so the verdict is repeatable). */
export const PII_SAMPLE_ROWS = 500;

/**
 * Samples `table` (reservoir sample of `sampleRows` rows, seed 42) with every column rendered as
 * text by DuckDB, and runs the PII detector on it. One finding per column, in column order.
 */
export async function detectTablePii(db: DbConnector, table: string, sampleRows = PII_SAMPLE_ROWS): Promise<PiiFinding[]> {
  const columns = await describe(db, ident(table));
  if (columns.length === 0) return [];
  const select = columns.map((c, i) => `CAST(${ident(c.name)} AS VARCHAR) AS c${i}`).join(', ');
  const n = Math.max(1, Math.floor(sampleRows));
  const sample = await db.query(`SELECT ${select} FROM ${ident(table)} USING SAMPLE reservoir(${n} ROWS) REPEATABLE (42)`);
  return detectPii(
    columns.map((c, i) => ({ name: c.name, type: c.type, values: sample.getChild(`c${i}`)?.toArray() ?? [] })),
  );
}

/** What {@link applyPrivacyTransforms} needs. */
export interface PrivacyTransformRequest {
  source: string;
  /** Table to create or replace; may equal `source` to transform in place. */
  target: string;
  transforms: Readonly<Record<string, ColumnTransform>>;
  /** The workspace's pseudonymization secret (createPseudonymSecret()); needed when any column is pseudonymized. */
  secret?: Uint8Array;
}

/**
 * Writes `target` as `source` with the transforms applied. The secret reaches DuckDB as an Arrow
 * row in a temporary table (never in SQL text) and is dropped when done, success or not. Use the
 * same secret for every table whose keys must still join.
 */
export async function applyPrivacyTransforms(db: DbConnector, request: PrivacyTransformRequest): Promise<void> {
  const { source, target, transforms, secret } = request;
  const columns = (await describe(db, ident(source))).map((c) => c.name);
  const keyed = Object.values(transforms).some((t) => t.kind === 'pseudonymize');
  const stage = `__clientele_privacy_stage`;
  const sql = privacyTransformSql(source, target === source ? stage : target, columns, transforms);
  if (keyed) {
    if (!secret) throw new AppError('invalid-argument', `pseudonymizing a column of "${source}" needs the workspace's secret: open or create a workspace first.`);
    const pads = pseudonymKeyPads(secret);
    // Not tableFromArrays: its null check is compiled with new Function, which the CSP refuses.
    await db.query(`CREATE OR REPLACE TEMP TABLE ${ident(PSEUDONYM_KEY_TABLE)} (ipad VARCHAR, opad VARCHAR)`);
    await db.insertArrowIPC(PSEUDONYM_KEY_TABLE, columnsToIPC([{ name: 'ipad', values: [pads.ipad] }, { name: 'opad', values: [pads.opad] }]), false);
  }
  try {
    await db.query(sql);
    if (target === source) {
      await db.query('BEGIN TRANSACTION');
      try {
        await db.query(`DROP TABLE ${ident(source)}; ALTER TABLE ${ident(stage)} RENAME TO ${ident(source)}`);
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    if (keyed) await db.query(`DROP TABLE IF EXISTS ${ident(PSEUDONYM_KEY_TABLE)}`);
    if (target === source) await db.query(`DROP TABLE IF EXISTS ${ident(stage)}`);
  }
}

/** k-anonymity of a table on its quasi-identifiers (see kAnonymitySql), with the smallest groups. */
export interface KAnonymityReport {
  k: number;
  smallestGroup: number;
  groups: number;
  rows: number;
  groupsBelowK: number;
  rowsBelowK: number;
  /** The table is k-anonymous on these columns. */
  satisfied: boolean;
  /** Up to 20 groups smaller than k: their values and sizes, smallest first. */
  smallest: Record<string, unknown>[];
}

/** Measures k-anonymity of `table` on `quasiIdentifiers` (Sweeney 2002). */
export async function kAnonymityReport(db: DbConnector, table: string, quasiIdentifiers: readonly string[], k: number): Promise<KAnonymityReport> {
  const summary = (await db.query(kAnonymitySql(table, quasiIdentifiers, k))).get(0)?.toJSON() ?? {};
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const groups = await db.query(kAnonymityGroupsSql(table, quasiIdentifiers, k));
  const smallest = groups.toArray().map((r) => {
    const o = r.toJSON() as Record<string, unknown>;
    for (const key of Object.keys(o)) if (typeof o[key] === 'bigint') o[key] = Number(o[key]);
    return o;
  });
  const rowsBelowK = num(summary.rows_below_k);
  return {
    k,
    smallestGroup: num(summary.smallest_group),
    groups: num(summary.groups),
    rows: num(summary.rows),
    groupsBelowK: num(summary.groups_below_k),
    rowsBelowK,
    satisfied: rowsBelowK === 0,
    smallest,
  };
}
