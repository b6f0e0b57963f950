import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { parseRecipe, recipeToJson } from '../../../src/core/recipe/recipe-json';
import type { Recipe } from '../../../src/core/recipe/types';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe, exportRecipeScript, type ApplyResult } from '../../../src/services/db/recipe-run';
import { freshDb } from '../helpers';

// The exported .sql must rebuild, in native DuckDB (CLI engine), exactly the table the app built
// in DuckDB-WASM: same rows, same values (compared as DuckDB's own text rendering).
const dir = mkdtempSync(join(tmpdir(), 'recipe-rt-'));
const REGIONS = ['north', 'North ', 'south', 'SOUTH', 'east', 'west', ''];

function customersCsv(n: number): string {
  const rng = createRng(11);
  const lines = ['id,name,age,region,spend,joined,score'];
  for (let i = 1; i <= n; i++) {
    const age = rng.next() < 0.1 ? '' : String(18 + rng.int(60));
    const spend = rng.next() < 0.02 ? (5000 + rng.int(5000)).toFixed(2) : (rng.exponential(0.02)).toFixed(2);
    const d = `${String(1 + rng.int(28)).padStart(2, '0')}/${String(1 + rng.int(12)).padStart(2, '0')}/${2020 + rng.int(4)}`;
    const score = rng.next() < 0.05 ? 'n/a' : String(rng.int(10));
    lines.push(`${i},"  person ${i % 97} smith ",${age},${REGIONS[rng.int(REGIONS.length)]},${spend},${rng.next() < 0.03 ? 'soon' : d},${score}`);
  }
  return `${lines.join('\n')}\n`;
}

function ordersCsv(n: number, customers: number): string {
  const rng = createRng(12);
  const lines = ['order_id,customer_id,amount,day'];
  for (let i = 1; i <= n; i++) lines.push(`${i},${1 + rng.int(customers + 50)},${(rng.next() * 200).toFixed(2)},2024-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`);
  return `${lines.join('\n')}\n`;
}

const step = <T extends object>(id: string, body: T) => ({ ...body, id, enabled: true });
const RECIPE: Recipe = parseRecipe({
  version: 1,
  name: 'customers_clean',
  source: 'customers',
  steps: [
    step('trim', { kind: 'text', column: 'name', op: 'trim' }),
    step('title', { kind: 'text', column: 'name', op: 'title' }),
    step('region-trim', { kind: 'text', column: 'region', op: 'trim' }),
    step('region-map', { kind: 'map-values', column: 'region', mapping: [{ from: 'North', to: 'north' }, { from: 'SOUTH', to: 'south' }, { from: '', to: null }] }),
    step('region-mode', { kind: 'missing', column: 'region', strategy: 'mode', indicator: true }),
    step('age-mean', { kind: 'missing', column: 'age', strategy: 'mean', indicator: true }),
    step('score', { kind: 'cast', column: 'score', to: 'INTEGER' }),
    step('score-prev', { kind: 'missing', column: 'score', strategy: 'previous', orderBy: 'id' }),
    step('joined', { kind: 'parse-date', column: 'joined', format: '%d/%m/%Y' }),
    step('spend-out', { kind: 'outliers', column: 'spend', method: 'iqr', action: 'clip' }),
    step('spend-z', { kind: 'scale', column: 'spend', method: 'zscore', as: 'spend_z' }),
    step('spend-log', { kind: 'log1p', column: 'spend', as: 'spend_log' }),
    step('age-bin', { kind: 'bin', column: 'age', method: 'quantile', bins: 4, as: 'age_band' }),
    step('region-code', { kind: 'encode', column: 'region', start: 1, as: 'region_code' }),
    step('region-hot', { kind: 'one-hot', column: 'region', keepOriginal: true }),
    step('value', { kind: 'derive', name: 'value', expression: 'round(spend * coalesce(score, 0), 2)' }),
    step('adults', { kind: 'filter', conditions: [{ column: 'age', op: '>=', value: 21 }] }),
    step('sample', { kind: 'sample', percent: 60, seed: 42, stratifyBy: 'region' }),
    step('orders', { kind: 'join', table: 'orders', how: 'left', on: [{ left: 'id', right: 'customer_id' }] }),
    step('per-customer', {
      kind: 'aggregate',
      groupBy: ['id', 'name', 'region', 'region_code', 'age', 'age_band', 'spend_z', 'region_north', 'value'],
      measures: [{ name: 'orders', fn: 'count', column: 'order_id' }, { name: 'total', fn: 'sum', column: 'amount' }, { name: 'last_day', fn: 'max', column: 'day' }],
    }),
  ],
});

let db: DbConnector;
let result: ApplyResult;
const paths = { customers: join(dir, 'customers.csv'), orders: join(dir, 'orders.csv') };
beforeAll(async () => {
  writeFileSync(paths.customers, customersCsv(1500));
  writeFileSync(paths.orders, ordersCsv(3000, 1500));
  db = await freshDb();
  for (const t of ['customers', 'orders'] as const) {
    await db.registerFile(`${t}.csv`, new Uint8Array(readFileSync(paths[t])));
    await db.query(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${t}.csv')`);
  }
  result = await applyRecipe(db, RECIPE, { preview: 3 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CANON = (t: string) => `SELECT COLUMNS(*)::VARCHAR FROM "${t}" ORDER BY ALL`;

describe('round trip: exported .sql in native DuckDB = the in-app result', () => {
  it('applies every step with reports and previews', () => {
    expect(result.steps).toHaveLength(RECIPE.steps.length);
    expect(result.steps[0].before?.rows).toHaveLength(3);
    expect(result.steps.find((s) => s.stepId === 'score')!.failures[0].failed).toBeGreaterThan(0);
    expect(result.steps.find((s) => s.stepId === 'orders')!.join!.unmatchedRight).toBeGreaterThan(0);
    expect(result.rows).toBeGreaterThan(500);
  });

  it('the script rebuilds the same table row for row', async () => {
    const script = await exportRecipeScript(db, result.recipe, { paths });
    expect(script).toContain(`read_csv('${paths.customers}')`);
    expect(script).not.toMatch(/\(SELECT (avg|quantile|stddev)/);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run(script);
      const native = (await conn.runAndReadAll(CANON('customers_clean'))).getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
      const wasm = (await db.query(CANON('customers_clean'))).toArray().map((r) => Object.values(r.toJSON()).map((v) => (v === null ? null : String(v))));
      expect(native.length).toBe(result.rows);
      expect(native).toEqual(wasm);
      // Only the inputs and the cleaned table are left in the analyst's database.
      const left = (await conn.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`)).getRows().map((r) => String(r[0]));
      expect(left.filter((t) => t.includes('__s'))).toEqual([]);
      expect(left).toContain('customers_clean');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('the JSON export round-trips and re-applies to the same result', async () => {
    const again = parseRecipe(recipeToJson(result.recipe));
    expect(again).toEqual({ ...result.recipe, version: 1 });
    const second = await applyRecipe(db, { ...again, name: 'customers_clean2' });
    expect(second.statements.slice(0, -1)).toEqual(result.statements.slice(0, -1).map((s) => s.replaceAll('customers_clean__', 'customers_clean2__')));
    const a = (await db.query(CANON('customers_clean'))).toArray().map((r) => JSON.stringify(r.toJSON()));
    const b = (await db.query(CANON('customers_clean2'))).toArray().map((r) => JSON.stringify(r.toJSON()));
    expect(b).toEqual(a);
  });
});
