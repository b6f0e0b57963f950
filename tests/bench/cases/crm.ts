import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fitBgNbd } from '../../../src/core/crm/bgnbd';
import { cohortRetentionSql } from '../../../src/core/crm/cohorts';
import { createRfmTableSql, rfmSegmentSizesSql } from '../../../src/core/crm/rfm';
import { customerSummarySql } from '../../../src/core/crm/summary';
import { localIngest } from '../../../src/core/formats/parse';
import { DEFAULT_BG_NBD, DEFAULT_GAMMA_GAMMA, simulateCustomer } from '../../../src/core/generate/purchase-process';
import { createRng } from '../../../src/core/random';
import { loadFiles, type IngestFile } from '../../../src/services/db/ingest';
import { createNodeConnector } from '../../../src/services/db/node-connector';
import { benchLine, type BenchCase, type BenchContext, type BenchLine } from '../harness';
import { replayOnNative } from '../native-duckdb';
import { ensureOrdersCsv } from '../orders-csv';
import { recordingConnector } from '../recording-connector';
import { headOf, ROWS, SEED } from './profile-1m';

/** Runs per case; CRM_RUNS overrides (the machine's noise may call for more). */
const RUNS = Number(process.env.CRM_RUNS ?? 3);
const COLS = { table: 'orders_1m', customer: 'customer_id', date: 'order_date', amount: 'amount', orderId: 'order_id' };

/** The CRM statements the analytics view runs: RFM table, segment sizes, cohorts, BG/NBD summary. */
function crmStatements(calibrationEnd: string, holdoutEnd: string, asOf: string): string[] {
  return [
    createRfmTableSql(COLS, 'rfm', { asOf }),
    rfmSegmentSizesSql('rfm'),
    cohortRetentionSql(COLS),
    customerSummarySql(COLS, { calibrationEnd, holdoutEnd }),
  ];
}

async function measureSql(ctx: BenchContext): Promise<BenchLine[]> {
  const { path, bytes } = await ensureOrdersCsv(ctx.dataDir, ROWS, SEED, ctx.log);
  const ours: number[] = [];
  const native: number[] = [];
  let peer = '';
  let version = '';
  let customers = 0;
  for (let i = 0; i < RUNS; i++) {
    ctx.gc();
    const engine = await createNodeConnector();
    const rec = recordingConnector(engine);
    try {
      rec.setPhase('load');
      const file: IngestFile = { name: basename(path), size: bytes, source: { path }, head: headOf(path) };
      await loadFiles(rec.db, localIngest, { files: [file], table: COLS.table });
      const range = (await rec.db.query(`SELECT CAST(min(order_date) AS DATE)::VARCHAR AS lo, CAST(max(order_date) AS DATE)::VARCHAR AS hi FROM ${COLS.table}`)).get(0)!.toJSON() as { lo: string; hi: string };
      const lo = Date.parse(range.lo);
      const hi = Date.parse(range.hi) + 86_400_000;
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const calibrationEnd = day(lo + Math.round((hi - lo) * 0.75 / 86_400_000) * 86_400_000);
      rec.setPhase('crm');
      const t0 = performance.now();
      for (const sql of crmStatements(calibrationEnd, day(hi), day(hi))) {
        const result = await rec.db.query(sql);
        if (sql.includes('summary_days')) customers = result.numRows;
      }
      ours.push((performance.now() - t0) / 1000);
      version = await engine.version();
      ctx.gc();
      const r = await replayOnNative(rec.statements, rec.files);
      native.push(r.phases.crm);
      peer = `duckdb native ${r.version} (@duckdb/node-api, ${r.threads} threads)`;
      ctx.log(`run ${i + 1}/${RUNS}: wasm ${ours[i].toFixed(2)} s, native ${native[i].toFixed(2)} s (CRM SQL only; calibration end ${calibrationEnd})`);
    } finally {
      await engine.close();
    }
  }
  return [benchLine('crm-sql-1m', ours, peer, native, { rows: ROWS, customers, runs: RUNS, statements: 4, ours_engine: `duckdb-wasm ${version} (node-blocking, eh bundle, 1 thread)` })];
}

async function measureFit(ctx: BenchContext): Promise<BenchLine[]> {
  const n = 50_000;
  const rng = createRng(2005);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 26 + 78 * rng.next();
    const h = simulateCustomer(rng, T[i], DEFAULT_BG_NBD, DEFAULT_GAMMA_GAMMA);
    x[i] = h.times.length - 1;
    tx[i] = h.times[h.times.length - 1];
  }
  mkdirSync(ctx.dataDir, { recursive: true });
  const csv = join(ctx.dataDir, 'bgnbd-50k.csv');
  writeFileSync(csv, `x,t_x,T\n${Array.from(x, (v, i) => `${v},${tx[i]},${T[i]}`).join('\n')}\n`);
  const ours: number[] = [];
  let fit = fitBgNbd({ x, tx, T });
  for (let i = 0; i < RUNS; i++) {
    ctx.gc();
    const t0 = performance.now();
    fit = fitBgNbd({ x, tx, T });
    ours.push((performance.now() - t0) / 1000);
  }
  let out: string;
  try {
    out = execFileSync('python3', [join(import.meta.dirname, '..', 'bgnbd-scipy.py'), csv, String(RUNS)], { encoding: 'utf8' });
  } catch (err) {
    throw new Error('the BG/NBD peer needs python3 with numpy and scipy', { cause: err });
  }
  const py = JSON.parse(out) as { times: number[]; params: Record<string, number>; nll: number; iterations: number; scipy: string; numpy: string };
  const round = (p: Record<string, number>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]));
  ctx.log(`ours ${JSON.stringify(round({ ...fit.params }))} LL ${fit.logLikelihood.toFixed(2)}; scipy ${JSON.stringify(round(py.params))} LL ${(-py.nll).toFixed(2)}`);
  return [
    benchLine('bgnbd-fit-50k', ours, `scipy ${py.scipy} Nelder-Mead on lifetimes' BG/NBD likelihood (numpy ${py.numpy})`, py.times, {
      customers: n,
      runs: RUNS,
      ours_params: round({ ...fit.params }),
      ours_ll: Math.round(fit.logLikelihood * 100) / 100,
      ours_iterations: fit.iterations,
      peer_params: round(py.params),
      peer_ll: Math.round(-py.nll * 100) / 100,
      peer_iterations: py.iterations,
    }),
  ];
}

/**
 * CRM analytics benchmarks. `crm-sql-1m`: the RFM table, segment sizes, cohort retention and
 * BG/NBD summary SQL on the 1M-row orders CSV, DuckDB-WASM in Node vs the same recorded SQL on
 * native DuckDB (CRM phase only; loading is measured by profile-1m). `bgnbd-fit-50k`: our pure-TS
 * BG/NBD maximum-likelihood fit on 50,000 simulated customers vs SciPy's Nelder–Mead on the
 * likelihood as the `lifetimes` package writes it.
 */
export const cases: BenchCase[] = [
  { name: 'crm-sql-1m', description: 'RFM + segment sizes + cohorts + BG/NBD summary SQL on 1M orders, DuckDB-WASM vs native DuckDB, same SQL', run: measureSql },
  { name: 'bgnbd-fit-50k', description: 'BG/NBD fit on 50,000 customers: pure TypeScript Nelder–Mead vs SciPy Nelder–Mead (lifetimes’ likelihood)', run: measureFit },
];
