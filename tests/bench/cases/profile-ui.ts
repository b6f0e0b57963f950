import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../browser/chromium';
import { benchLine, seconds, median, type BenchCase, type BenchContext, type BenchLine } from '../harness';
import { replayOnNative } from '../native-duckdb';
import { ensureOrdersCsv } from '../orders-csv';
import { ROWS, SEED, runWasm } from './profile-1m';

const RUNS = 3;

/** Serves dist/ on a free localhost port; resolves with its URL and a stop function. */
async function serveDist(): Promise<{ url: string; stop: () => void }> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first');
  const port = 4800 + Math.floor(Math.random() * 500);
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (c: Buffer) => c.toString().includes('running at') && resolve());
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url: `http://localhost:${port}/`, stop: () => server.kill() };
}

/**
 * The analyst's path, timed: in headless Chromium, pick the 1M-row CSV with the file input, wait
 * for "Loaded …", open the Profile tab and wait for every column's card.
 */
async function measure(ctx: BenchContext): Promise<BenchLine[]> {
  const { path, bytes } = await ensureOrdersCsv(ctx.dataDir, ROWS, SEED, ctx.log);
  const server = await serveDist();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const runs: { load: number; profile: number; engine: string }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole('button', { name: /^customers / }).waitFor({ timeout: 120_000 });
      const engine = (await page.getByLabel('Engine').textContent()) ?? '';
      const t0 = performance.now();
      await page.getByLabel('Open files').setInputFiles(path);
      await page.getByRole('status').filter({ hasText: /Loaded orders/ }).waitFor({ timeout: 600_000 });
      const t1 = performance.now();
      await page.getByRole('tab', { name: 'Profile' }).click();
      await page.getByRole('region', { name: /^Profile of orders/ }).getByRole('article').nth(11).waitFor({ timeout: 600_000 });
      const t2 = performance.now();
      runs.push({ load: (t1 - t0) / 1000, profile: (t2 - t1) / 1000, engine });
      ctx.log(`ui run ${i + 1}: load ${((t1 - t0) / 1000).toFixed(2)} s, profile ${((t2 - t1) / 1000).toFixed(2)} s (${engine})`);
      await context.close();
    }
  } finally {
    await browser.close();
    server.stop();
  }
  // The peer replays, on native DuckDB, the SQL our code runs for the same load + profile.
  const recorded = await runWasm(path, bytes);
  const native = [];
  for (let i = 0; i < RUNS; i++) native.push(await replayOnNative(recorded.statements, recorded.files));
  return [
    benchLine('profile-1m-ui', runs.map((r) => r.load + r.profile), `duckdb native ${native[0].version} (@duckdb/node-api, ${native[0].threads} threads, same SQL)`, native.map((r) => r.total), {
      ours_engine: `${runs[0].engine} in headless Chromium`,
      ours_load_s: seconds(median(runs.map((r) => r.load))),
      ours_profile_s: seconds(median(runs.map((r) => r.profile))),
      runs: RUNS,
    }),
  ];
}

export const cases: BenchCase[] = [
  {
    name: 'profile-1m-ui',
    description: 'The same 1M-row load + profile through the UI in headless Chromium (file input → Loaded → Profile tab), against native DuckDB running the same SQL.',
    run: measure,
  },
];
