import { openSync, readSync, statSync, closeSync } from 'node:fs';
import { basename } from 'node:path';
import { expect } from 'vitest';
import { AppError } from '../../src/core/errors';
import { localIngest } from '../../src/core/formats/parse';
import type { DbConnector } from '../../src/services/db/connector';
import { loadFiles, type IngestFile, type LoadedTable, type LoadRequest } from '../../src/services/db/ingest';
import { ident } from '../../src/services/db/sql';
import { fileOf, rows } from './helpers';

/** A table loaded before the bad file, with what it held. */
export interface Sentinel {
  table: string;
  rows: number;
  checksum: string;
}

/** Loads a 200-row CSV through the real ingest path as the table that must survive every bad file. */
export async function loadSentinel(db: DbConnector, name = 'keep'): Promise<Sentinel> {
  let text = 'id,name,amount,signup\n';
  for (let i = 1; i <= 200; i++) text += `${i},customer ${i},${(i * 7.25).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')}\n`;
  const [t] = await loadFiles(db, localIngest, { files: [fileOf(`${name}.csv`, text)], table: name });
  return { table: t.table, ...(await measure(db, t.table)) };
}

async function measure(db: DbConnector, table: string): Promise<{ rows: number; checksum: string }> {
  const [r] = await rows(db, `SELECT count(*)::BIGINT AS n, sum(hash(k))::VARCHAR AS h FROM ${ident(table)} k`);
  return { rows: Number(r.n), checksum: String(r.h) };
}

/** Every table in every schema (temporary ones too), sorted. */
export async function allTables(db: DbConnector): Promise<string[]> {
  const r = await rows(db, `SELECT database_name || '.' || schema_name || '.' || table_name AS t FROM duckdb_tables() ORDER BY t`);
  return r.map((x) => String(x.t));
}

/**
 * Asserts that a load left the engine as it found it, apart from the tables it reports: the
 * sentinel holds the same rows, and no staging (`__loading_*`) or reject (`__rejects_*`) table
 * and no half-created table is left behind.
 */
export async function expectUndisturbed(db: DbConnector, sentinel: Sentinel, before: string[], loaded: LoadedTable[] = []): Promise<void> {
  expect(await measure(db, sentinel.table)).toEqual({ rows: sentinel.rows, checksum: sentinel.checksum });
  const created = new Set(loaded.map((t) => `memory.main.${t.table}`));
  const after = (await allTables(db)).filter((t) => !created.has(t));
  expect(after).toEqual(before);
  expect(after.filter((t) => /\.__/.test(t))).toEqual([]);
}

/** Drops what a load created, so the next case starts from the same tables. */
export async function dropLoaded(db: DbConnector, loaded: LoadedTable[]): Promise<void> {
  for (const t of loaded) await db.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
}

/** What a load did: the tables it made, or the error it threw. */
export type Attempt = { ok: true; tables: LoadedTable[]; ms: number } | { ok: false; error: unknown; ms: number };

/** Runs loadFiles and catches what it throws, timing it. */
export async function attempt(db: DbConnector, request: LoadRequest): Promise<Attempt> {
  const t0 = performance.now();
  try {
    const tables = await loadFiles(db, localIngest, request);
    return { ok: true, tables, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

/**
 * Asserts that a refusal reached the analyst as a proper AppError: not DuckDB's raw text (a
 * QueryError), naming the file, saying what to do.
 */
export function expectClearRefusal(error: unknown, fileName: string): asserts error is AppError {
  expect(error, String(error)).toBeInstanceOf(AppError);
  const e = error as AppError;
  expect(e.name, `raw DuckDB error leaked: ${e.message}`).toBe('AppError');
  expect(e.message).toContain(fileName);
  expect(e.message).not.toMatch(/^(Invalid Input|Conversion|Binder|Parser|Not implemented|IO) Error/);
  expect(e.message).toMatch(/\b(choose|set|fix|re-save|save|export|open|unzip|decompress|rename|check|load|add|raise|download|copy|remove)\b/i);
}

/** An IngestFile backed by a file on disk (DuckDB reads it in place); the head is read for detection. */
export function fileOnDisk(path: string): IngestFile {
  const fd = openSync(path, 'r');
  const head = new Uint8Array(65536);
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return { name: basename(path), size: statSync(path).size, source: { path }, head: head.subarray(0, n) };
  } finally {
    closeSync(fd);
  }
}
