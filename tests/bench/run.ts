/**
 * `npm run bench [-- WORD…]`: runs every case in tests/bench/cases (or those whose name contains
 * one of the WORDs), prints one JSON line per result as soon as it is known, then a table.
 * Progress goes to stderr. Exits 1 when a case fails (the other cases still run).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatLine, formatTable, type BenchCase, type BenchContext, type BenchLine } from './harness';

const here = dirname(fileURLToPath(import.meta.url));

async function loadCases(): Promise<BenchCase[]> {
  const dir = join(here, 'cases');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const all: BenchCase[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases?: BenchCase[] };
    if (!Array.isArray(mod.cases)) throw new Error(`tests/bench/cases/${f} must export \`cases: BenchCase[]\``);
    all.push(...mod.cases);
  }
  return all;
}

async function main(): Promise<number> {
  const words = process.argv.slice(2).filter((w) => w !== '--');
  const all = await loadCases();
  const chosen = words.length ? all.filter((c) => words.some((w) => c.name.includes(w))) : all;
  if (chosen.length === 0) {
    console.error(`no benchmark case matches ${words.join(', ')}; cases: ${all.map((c) => c.name).join(', ')}`);
    return 1;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  const ctx: BenchContext = {
    dataDir: join(here, '.data'),
    log: (m) => console.error(`[bench] ${m}`),
    gc: () => gc?.(),
  };
  const lines: BenchLine[] = [];
  let failed = 0;
  for (const c of chosen) {
    ctx.log(`${c.name}: ${c.description}`);
    const t0 = performance.now();
    try {
      for (const line of await c.run(ctx)) {
        lines.push(line);
        console.log(formatLine(line));
      }
    } catch (err) {
      failed++;
      console.error(`[bench] ${c.name} failed:`, err);
    }
    ctx.log(`${c.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (lines.length) console.log(`\n${formatTable(lines)}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
