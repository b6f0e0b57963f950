import { suggestColumnMapping, type TransactionColumns } from '../core/crm/column-mapping';
import { cohortMatrix, cohortRetentionSql, type CohortCell } from '../core/crm/cohorts';
import { createRfmTableSql, rfmSegmentSizesSql, segmentColumnSql } from '../core/crm/rfm';
import { AppError, errorMessage } from '../core/errors';
import { describe } from '../services/db/catalog';
import { ident } from '../services/db/sql';
import { readCustomerSummary, writeCustomerColumns } from '../services/db/crm';
import { createCrmClient, type CrmClient } from '../services/workers/crm-client';
import type { ClvFitResult } from '../shared/crm-api';
import { holdoutLength } from '../core/crm/summary';
import { isAbort } from '../core/errors';
import { workspace } from './workspace.svelte';

/** One RFM segment's size and value, as the segment table shows it. */
export interface SegmentRow {
  segment: string;
  customers: number;
  customerShare: number;
  revenue: number;
  revenueShare: number;
  recencyDays: number;
  frequency: number;
  monetary: number;
}

/** Where per-customer lifetime values are stored (replaced on each fit). */
export const CLV_TABLE = 'customer_clv';

/** What the lifetime-value section shows after a fit. */
export interface ClvView {
  holdout: ClvFitResult['holdout'];
  calibration: { bgnbd: ClvFitResult['bgnbd']; gammaGamma: ClvFitResult['gammaGamma']; logLikelihood: number };
  full: { bgnbd: ClvFitResult['bgnbd']; gammaGamma: ClvFitResult['gammaGamma'] };
  top: { customer: string; clv: number; pAlive: number; purchases: number }[];
  customers: number;
  horizon: number;
}

let crmWorker: CrmClient | null = null;
const crmClient = () => (crmWorker ??= createCrmClient());

/** Where the RFM table is stored (replaced on each run). */
export const RFM_TABLE = 'rfm';

const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));

/**
 * The CRM room: a transactions table mapped once (customer, date, amount, optional order id),
 * then RFM segments and monthly cohort retention computed by DuckDB SQL (src/core/crm).
 */
export class CrmAnalysis {
  table = $state('');
  customer = $state('');
  date = $state('');
  amount = $state('');
  orderId = $state('');
  /** Why the mapping was suggested, for the analyst to check. */
  suggestion = $state<string | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  segments = $state<SegmentRow[] | null>(null);
  cohorts = $state<ReturnType<typeof cohortMatrix> | null>(null);
  saved = $state<string | null>(null);
  /** Lifetime value: end of the calibration period (YYYY-MM-DD); after it is the holdout. */
  calibrationEnd = $state('');
  horizonWeeks = $state(52);
  monthlyDiscount = $state(0.01);
  clvRunning = $state<string | null>(null);
  clv = $state<ClvView | null>(null);

  /** Suggests the column mapping of `table` from its column names and types. */
  async choose(table: string): Promise<void> {
    this.table = table;
    this.error = null;
    if (!table) return;
    const columns = await describe(workspace.db, ident(table));
    const s = suggestColumnMapping(columns);
    this.customer = s.mapping.customer ?? '';
    this.date = s.mapping.date ?? '';
    this.amount = s.mapping.amount ?? '';
    this.orderId = s.mapping.orderId ?? '';
    this.suggestion = s.complete ? 'Suggested from the column names and types; check and change if needed.' : 'Some roles could not be guessed: choose them below.';
  }

  private columns(): TransactionColumns {
    if (!this.table || !this.customer || !this.date || !this.amount) {
      throw new AppError('invalid-argument', 'Choose the transactions table and its customer id, order date and amount columns first.');
    }
    return { table: this.table, customer: this.customer, date: this.date, amount: this.amount, orderId: this.orderId || undefined };
  }

  /** Computes RFM scores and segments (stored as the table `rfm`) and cohort retention. */
  async analyze(): Promise<void> {
    this.error = null;
    this.saved = null;
    this.running = true;
    try {
      const cols = this.columns();
      const db = workspace.db;
      const create = createRfmTableSql(cols, RFM_TABLE);
      await db.query(create);
      workspace.rememberStatement(create);
      const sizes = await db.query(rfmSegmentSizesSql(ident(RFM_TABLE)));
      this.segments = sizes.toArray().map((r) => ({
        segment: String(r.segment),
        customers: num(r.customers),
        customerShare: num(r.customer_share),
        revenue: num(r.revenue),
        revenueShare: num(r.revenue_share),
        recencyDays: num(r.recency_days),
        frequency: num(r.frequency),
        monetary: num(r.monetary),
      }));
      const cells = await db.query(`SELECT strftime(cohort, '%Y-%m') AS cohort, months_since, customers, cohort_size FROM (${cohortRetentionSql(cols)})`);
      const list: CohortCell[] = cells.toArray().map((r) => ({ cohort: String(r.cohort), monthsSince: num(r.months_since), customers: num(r.customers), cohortSize: num(r.cohort_size) }));
      this.cohorts = cohortMatrix(list);
      await workspace.refresh();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.running = false;
    }
  }

  /**
   * Fits BG/NBD + Gamma-Gamma twice in the CRM worker: on the calibration period, to compare its
   * expectations with the holdout that follows, and on all the data, for each customer's
   * expected purchases, P(alive) and value over the horizon (stored as the table customer_clv).
   */
  async fitLifetimeValue(): Promise<void> {
    this.error = null;
    try {
      const cols = this.columns();
      const db = workspace.db;
      const end = (await db.query(`SELECT strftime(max(CAST(${ident(cols.date)} AS DATE)) + 1, '%Y-%m-%d') AS e FROM ${ident(cols.table)}`)).get(0)?.e as string;
      if (!this.calibrationEnd) {
        const half = (await db.query(`SELECT strftime(CAST('${end}' AS DATE) - INTERVAL 26 WEEK, '%Y-%m-%d') AS c`)).get(0)?.c as string;
        this.calibrationEnd = half;
      }
      this.clvRunning = 'Fitting on the calibration period…';
      const summaryOptions = { calibrationEnd: this.calibrationEnd, holdoutEnd: end };
      const cal = await readCustomerSummary(db, cols, summaryOptions);
      const calFit = await crmClient().fitClv(
        { x: cal.x, tx: cal.tx, T: cal.T, m: cal.m, xHoldout: cal.xHoldout },
        { horizon: this.horizonWeeks, monthlyDiscount: this.monthlyDiscount, holdoutLength: holdoutLength(summaryOptions) },
        (p) => (this.clvRunning = `Calibration fit: ${p.stage}`),
      );
      this.clvRunning = 'Fitting on all orders…';
      const all = await readCustomerSummary(db, cols, { calibrationEnd: end });
      const ids = all.customerId;
      const fit = await crmClient().fitClv({ x: all.x, tx: all.tx, T: all.T, m: all.m }, { horizon: this.horizonWeeks, monthlyDiscount: this.monthlyDiscount }, (p) => (this.clvRunning = `Full fit: ${p.stage}`));
      await writeCustomerColumns(db, CLV_TABLE, ids, { p_alive: fit.pAlive, expected_purchases: fit.expectedTransactions, expected_spend: fit.expectedSpend, clv: fit.clv });
      const order = Array.from(fit.clv.keys()).sort((a, b) => fit.clv[b] - fit.clv[a]).slice(0, 10);
      this.clv = {
        holdout: calFit.holdout,
        calibration: { bgnbd: calFit.bgnbd, gammaGamma: calFit.gammaGamma, logLikelihood: calFit.bgnbdLogLikelihood },
        full: { bgnbd: fit.bgnbd, gammaGamma: fit.gammaGamma },
        top: order.map((i) => ({ customer: String(ids[i]), clv: fit.clv[i], pAlive: fit.pAlive[i], purchases: fit.expectedTransactions[i] })),
        customers: ids.length,
        horizon: this.horizonWeeks,
      };
      await workspace.refresh();
    } catch (err) {
      if (!isAbort(err)) this.error = errorMessage(err);
    } finally {
      this.clvRunning = null;
    }
  }

  /** Stops a running lifetime-value fit. */
  cancelLifetimeValue(): void {
    crmWorker?.cancel();
  }

  /** Writes each customer's segment and R/F/M scores back into `customers` as new columns. */
  async saveSegments(customers: string, key: string): Promise<void> {
    this.error = null;
    try {
      const db = workspace.db;
      const existing = (await describe(db, ident(customers))).map((c) => c.name);
      const staging = `${customers}__rfm`;
      const drops = ['rfm_segment', 'rfm_r', 'rfm_f', 'rfm_m'].filter((c) => existing.includes(c));
      const steps = [
        ...drops.map((c) => `ALTER TABLE ${ident(customers)} DROP COLUMN ${ident(c)}`),
        segmentColumnSql(customers, key, RFM_TABLE, staging),
        `DROP TABLE ${ident(customers)}`,
        `ALTER TABLE ${ident(staging)} RENAME TO ${ident(customers)}`,
      ];
      for (const sql of steps) {
        await db.query(sql);
        workspace.rememberStatement(sql);
      }
      await workspace.refresh();
      this.saved = `Saved rfm_segment (and rfm_r, rfm_f, rfm_m) into ${customers}.`;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}

export const crm = new CrmAnalysis();
