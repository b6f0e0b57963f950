import { errorMessage, isAbort } from '../core/errors';
import { describe } from '../services/db/catalog';
import { guardUserSql } from '../services/db/guard';
import { shortDuckMessage } from '../services/db/query-error';
import { tableToCells } from '../services/db/rows';
import { ident } from '../services/db/sql';
import { workspace } from './workspace.svelte';

/** A console result: a temp table the grid pages through, or a few rows held in memory. */
export type ConsoleResult =
  | { kind: 'table'; relation: string; columns: { name: string; type: string }[]; rows: number; ms: number }
  | { kind: 'rows'; columns: { name: string; type: string }[]; cells: (string | null)[][]; ms: number }
  | { kind: 'done'; message: string; ms: number };

/** Statements whose result is a relation we can materialize for paging. */
const QUERY_START = /^\s*(\(|SELECT\b|FROM\b|WITH\b|VALUES\b|TABLE\b|PIVOT\b|UNPIVOT\b)/i;
/** Statements that change the tables (redone after an engine restart). */
const CHANGES_TABLES = /^\s*(CREATE|DROP|ALTER|INSERT|UPDATE|DELETE|TRUNCATE|COMMENT)\b/i;
const RESULT_TABLE = '__console_result';

/** The SQL console: DuckDB's dialect over the loaded tables, errors inline. */
export class SqlConsole {
  sql = $state('');
  running = $state(false);
  error = $state<string | null>(null);
  result = $state<ConsoleResult | null>(null);
  revision = $state(0);

  /** Stops the running query: the engine restarts and the workspace's tables are rebuilt. */
  cancel(): void {
    if (this.running) workspace.cancel();
  }

  /** Runs the console's SQL; the last statement's result is shown. */
  async run(): Promise<void> {
    this.error = null;
    let statements: string[];
    try {
      statements = guardUserSql(this.sql);
    } catch (err) {
      this.error = errorMessage(err);
      return;
    }
    this.running = true;
    const db = workspace.db;
    const started = performance.now();
    let changed = false;
    try {
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i];
        const last = i === statements.length - 1;
        if (last && QUERY_START.test(s)) {
          await db.query(`CREATE OR REPLACE TEMP TABLE ${RESULT_TABLE} AS ${s}`);
          const columns = await describe(db, ident(RESULT_TABLE));
          const count = await db.query(`SELECT count(*)::BIGINT AS n FROM ${ident(RESULT_TABLE)}`);
          this.result = { kind: 'table', relation: RESULT_TABLE, columns, rows: Number(count.get(0)?.toJSON().n ?? 0), ms: performance.now() - started };
        } else {
          const t = await db.query(s);
          if (CHANGES_TABLES.test(s)) {
            workspace.rememberStatement(s);
            changed = true;
          }
          if (last) {
            const columns = t.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
            this.result = CHANGES_TABLES.test(s) || t.numRows === 0
              ? { kind: 'done', message: `Done: ${s.split(/\s+/).slice(0, 3).join(' ')}…`, ms: performance.now() - started }
              : { kind: 'rows', columns, cells: tableToCells(t.slice(0, 10_000)), ms: performance.now() - started };
          }
        }
      }
      this.revision++;
    } catch (err) {
      if (isAbort(err)) this.result = { kind: 'done', message: 'Cancelled', ms: performance.now() - started };
      else this.error = shortDuckMessage(errorMessage(err));
    } finally {
      this.running = false;
      if (changed) await workspace.refresh().catch(() => undefined);
    }
  }
}

export const sqlConsole = new SqlConsole();
