import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors';
import type { DbConnector } from '../../src/services/db/connector';
import { fileFrom, freshDb } from './helpers';
import { allTables, attempt, dropLoaded, expectClearRefusal, expectUndisturbed, loadSentinel, type Sentinel } from './integrity';

// Real malformed inputs from DuckDB's own test data (AFL-fuzzed CSVs, broken Parquet files), kept
// in the steering side's shared folder beside the repository, not in it. A checkout without that
// folder has nothing to walk, so the suite is skipped (with this reason) rather than failed.
const CORPUS = path.resolve('..', 'shared', 'bad-inputs');
const PRESENT = existsSync(CORPUS);
/** A hang guard, not a performance target: one file (plain load + skip-bad-rows retry) must finish within it. */
const LIMIT_MS = 20_000;
const OFFERS_SKIP = /choose "Load, skipping bad rows"/;

function corpusFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...corpusFiles(path.join(dir, e.name), rel));
    else if (e.name !== 'README.md') out.push(rel);
  }
  return out.sort();
}

/** True for a trap of a wasm module (DuckDB or a format reader) surfacing as an exception. */
function isWasmTrap(err: unknown): boolean {
  return err instanceof WebAssembly.RuntimeError || /unreachable|memory access out of bounds|RuntimeError/i.test(err instanceof Error ? `${err.name} ${err.message}` : String(err));
}

type Outcome = 'loaded' | 'loaded-with-rejects' | 'refused';

describe.skipIf(!PRESENT)(`every file in ${CORPUS} loads, loads with rejects, or is refused clearly`, () => {
  const files = PRESENT ? corpusFiles(CORPUS) : [];
  const results = new Map<string, { outcome: Outcome; ms: number }>();
  const traps: string[] = [];
  let db: DbConnector;
  let sentinel: Sentinel;

  beforeAll(async () => {
    db = await freshDb();
    sentinel = await loadSentinel(db, 'sentinel');
  });

  afterAll(() => {
    const count = (o: Outcome) => [...results.values()].filter((r) => r.outcome === o).length;
    const slowest = [...results.entries()].sort((a, b) => b[1].ms - a[1].ms)[0];
    console.log(
      `bad-inputs: ${results.size} of ${files.length} files — ${count('loaded')} loaded, ${count('loaded-with-rejects')} loaded with rejects, ${count('refused')} refused; ` +
        `slowest ${slowest ? `${slowest[0]} (${Math.round(slowest[1].ms)} ms)` : 'n/a'}; ` +
        `reader traps: ${traps.length ? traps.join(', ') : 'none'}`,
    );
  });

  it('holds files to walk', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const rel of files) {
    it(rel, async () => {
      const name = path.basename(rel);
      const file = fileFrom(path.join(CORPUS, rel));
      const before = await allTables(db);
      const plain = await attempt(db, { files: [file] });
      let ms = plain.ms;
      let outcome: Outcome = 'refused';
      const loaded = [];
      if (plain.ok) {
        outcome = 'loaded';
        loaded.push(...plain.tables);
      } else {
        if (!(plain.error instanceof AppError) && isWasmTrap(plain.error)) {
          // The engine may be unusable after a trap: start a fresh one so later files still run,
          // and fail this file loudly.
          traps.push(`${rel} (engine)`);
          db = await freshDb();
          sentinel = await loadSentinel(db, 'sentinel');
          throw new Error(`${rel} trapped the engine: ${String(plain.error)}`);
        }
        expectClearRefusal(plain.error, name);
        if (plain.error.code === 'engine-crashed') traps.push(`${rel} (${plain.error.message.includes('Parquet') ? 'parquet-wasm' : 'reader'})`);
        if (rel.endsWith('.csv')) {
          const skipped = await attempt(db, { files: [file], csv: { skipBadRows: true } });
          ms += skipped.ms;
          if (skipped.ok) {
            outcome = (skipped.tables[0].rejects?.total ?? 0) > 0 ? 'loaded-with-rejects' : 'loaded';
            loaded.push(...skipped.tables);
          } else {
            expectClearRefusal(skipped.error, name);
            // A message never offers a way out that does not work.
            expect(plain.error.message, 'offered "skipping bad rows", which then failed').not.toMatch(OFFERS_SKIP);
            expect(skipped.error.message).not.toMatch(OFFERS_SKIP);
          }
        }
      }
      results.set(rel, { outcome, ms });
      expect(ms, `${rel} took ${Math.round(ms)} ms`).toBeLessThan(LIMIT_MS);
      await expectUndisturbed(db, sentinel, before, loaded);
      await dropLoaded(db, loaded);
    });
  }

  it('leaves the sentinel table, loaded first, intact after every file', async () => {
    const before = await allTables(db);
    await expectUndisturbed(db, sentinel, before);
    expect(before.filter((t) => t.startsWith('memory.main.'))).toEqual(['memory.main.sentinel']);
  });
});
