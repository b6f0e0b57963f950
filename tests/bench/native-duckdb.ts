import { DuckDBInstance } from '@duckdb/node-api';
import { ENGINE_SETUP_SQL } from '../../src/services/db/connector';
import { withFilePaths, type RecordedStatement } from './recording-connector';

/** Seconds per phase of one replay, and the total. */
export interface ReplayTimes {
  total: number;
  phases: Record<string, number>;
  /** Version string of the native engine. */
  version: string;
  /** Threads the native engine ran with. */
  threads: number;
}

/**
 * Replays recorded statements on a fresh in-memory native DuckDB (@duckdb/node-api), timing each
 * statement including reading its whole result (as our connector materialises every result as
 * Arrow). `threads` fixes DuckDB's thread count at creation (default: all cores). `check` runs
 * untimed afterwards, e.g. to confirm the replay built the same table.
 */
export async function replayOnNative(
  statements: readonly RecordedStatement[],
  files: ReadonlyMap<string, string>,
  options: { threads?: number; check?: string } = {},
): Promise<ReplayTimes & { check?: unknown[][] }> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  try {
    // The same network lock-down the app applies to its wasm engine (untimed, as there).
    for (const sql of ENGINE_SETUP_SQL) await conn.run(sql);
    const info = (await conn.runAndReadAll("SELECT version() AS v, current_setting('threads') AS t")).getRows()[0];
    const phases: Record<string, number> = {};
    let total = 0;
    for (const s of statements) {
      const sql = withFilePaths(s.sql, files);
      const t0 = performance.now();
      await conn.runAndReadAll(sql);
      const dt = (performance.now() - t0) / 1000;
      phases[s.phase] = (phases[s.phase] ?? 0) + dt;
      total += dt;
    }
    const check = options.check ? (await conn.runAndReadAll(options.check)).getRows() : undefined;
    return { total, phases, version: String(info[0]), threads: Number(info[1]), check };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
