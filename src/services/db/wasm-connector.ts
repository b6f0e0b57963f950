import * as duckdb from '@duckdb/duckdb-wasm';
import type { Table } from 'apache-arrow';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import coiPthread from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import { AppError } from '../../core/errors';
import { ENGINE_SETUP_SQL, type DbConnector, type FileSource } from './connector';
import { QueryError } from './query-error';

/** Bundles served from the app's own origin (Vite emits them under /assets): never a CDN. */
const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
  coi: { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthread },
};

/** Messages that mean the wasm instance itself broke (a trap or out of memory), not the query. */
const ENGINE_FAILURE = /RuntimeError|unreachable|memory access out of bounds|Out of bounds|Aborted\(|out of memory|worker terminated/i;

interface Engine {
  worker: Worker;
  db: duckdb.AsyncDuckDB;
  conn: duckdb.AsyncDuckDBConnection;
  bundle: string;
}

/** Options for one call. */
export interface CallOptions {
  /** Give up after this long: the engine is restarted and the call fails with 'engine-timeout'. */
  timeoutMs?: number;
}

/** The browser connector: DuckDB-WASM in its own worker, restarted when it crashes. */
export interface BrowserDb extends DbConnector {
  query(sql: string, options?: CallOptions): Promise<Table>;
  /** Which build runs: 'coi' (threads), 'eh' or 'mvp'. */
  bundle(): Promise<string>;
  /** Called after the engine crashed and a fresh one started; the caller reloads its tables. */
  onRestart(listener: (reason: AppError) => void): void;
  /** Stops whatever the engine is doing (pending calls fail) and starts a fresh engine. */
  restart(reason: AppError): void;
  /** Test hook: the engine worker fails as a wasm trap would. */
  simulateCrash(): void;
}

async function pickBundle(): Promise<duckdb.DuckDBBundle & { name: string }> {
  // ?engine=coi|eh|mvp forces a build (support, diagnosis, benchmarks).
  const forced = new URLSearchParams(globalThis.location?.search ?? '').get('engine');
  if (forced === 'coi') return { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthread, name: 'coi' };
  if (forced === 'eh') return { mainModule: ehWasm, mainWorker: ehWorker, pthreadWorker: null, name: 'eh' };
  if (forced === 'mvp') return { mainModule: mvpWasm, mainWorker: mvpWorker, pthreadWorker: null, name: 'mvp' };
  // The threaded (coi) build is opt-in: in duckdb-wasm 1.32 its pthreads cannot see File
  // handles ("Buffering missing file", read as empty) and it intermittently returns an empty,
  // unreadable result ("Reader is not file") after DDL. eh (single-threaded, wasm exceptions)
  // is correct everywhere it runs; mvp is the fallback for browsers without wasm exceptions.
  const chosen = await duckdb.selectBundle({ mvp: BUNDLES.mvp, eh: BUNDLES.eh });
  const name = chosen.mainModule === coiWasm ? 'coi' : chosen.mainModule === ehWasm ? 'eh' : 'mvp';
  return { ...chosen, name };
}

async function startEngine(onWorkerError: (worker: Worker, e: ErrorEvent) => void): Promise<Engine> {
  const tried: string[] = [];
  let bundle = await pickBundle();
  for (;;) {
    const worker = new Worker(bundle.mainWorker!);
    worker.addEventListener('error', (e) => onWorkerError(worker, e));
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    try {
      await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
      await db.open({ path: ':memory:', query: { castBigIntToDouble: false } });
      const conn = await db.connect();
      for (const sql of ENGINE_SETUP_SQL) await conn.query(sql);
      return { worker, db, conn, bundle: bundle.name };
    } catch (err) {
      worker.terminate();
      tried.push(bundle.name);
      // The threaded build is the least mature: fall back to the exception-handling build.
      if (bundle.name === 'coi') bundle = { mainModule: ehWasm, mainWorker: ehWorker, pthreadWorker: null, name: 'eh' };
      else if (bundle.name === 'eh') bundle = { mainModule: mvpWasm, mainWorker: mvpWorker, pthreadWorker: null, name: 'mvp' };
      else throw new AppError('engine-crashed', `The database engine could not start (${tried.join(', ')} builds tried): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

/**
 * Creates the browser connector. Every call is tracked: if the worker dies (a wasm trap, out of
 * memory) or a call runs past its time limit, every pending call is rejected with a clear error
 * — duckdb-wasm and Comlink would otherwise leave them hanging — and a fresh engine starts.
 */
export function createWasmConnector(): BrowserDb {
  const pending = new Set<(err: AppError) => void>();
  const listeners: ((reason: AppError) => void)[] = [];
  let engine: Promise<Engine>;
  let current: Engine | null = null;

  const onWorkerError = (worker: Worker, e: ErrorEvent) => {
    if (current?.worker !== worker) return;
    fail(new AppError('engine-crashed', `The database engine crashed (${e.message || 'worker error'}). Your loaded files are being reloaded; run the last action again.`));
  };
  const boot = () => {
    engine = startEngine(onWorkerError).then((e) => (current = e));
    engine.catch(() => undefined);
  };
  const fail = (reason: AppError) => {
    const old = current;
    current = null;
    for (const reject of [...pending]) reject(reason);
    pending.clear();
    if (old) {
      old.worker.terminate();
    }
    boot();
    engine.then(() => listeners.forEach((l) => l(reason))).catch(() => undefined);
  };

  function call<T>(label: string, fn: (e: Engine) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const rejectOnce = (err: unknown) => {
        if (!settled) {
          settled = true;
          reject(err);
        }
      };
      pending.add(rejectOnce);
      const timer = options.timeoutMs
        ? setTimeout(() => {
            fail(new AppError('engine-timeout', `This took longer than ${Math.round(options.timeoutMs! / 1000)} s and was stopped; the engine was restarted and your tables reloaded.`));
          }, options.timeoutMs)
        : null;
      engine
        .then((e) => fn(e))
        .then(
          (value) => {
            if (!settled) {
              settled = true;
              resolve(value);
            }
          },
          (err) => {
            const message = err instanceof Error ? err.message : String(err);
            if (ENGINE_FAILURE.test(message) && current) {
              const crash = new AppError('engine-crashed', `The database engine crashed (${message.split('\n')[0]}). Your loaded files are being reloaded; run the last action again.`, { cause: err });
              rejectOnce(crash);
              fail(crash);
            } else rejectOnce(err instanceof AppError ? err : new QueryError(label, err));
          },
        )
        .finally(() => {
          pending.delete(rejectOnce);
          if (timer) clearTimeout(timer);
        });
    });
  }

  boot();
  return {
    query: (sql, options) => call(sql, (e) => e.conn.query(sql) as unknown as Promise<Table>, options),
    registerFile: (name: string, source: FileSource) =>
      call(`-- register ${name}`, async (e) => {
        if (source instanceof Uint8Array) await e.db.registerFileBuffer(name, source);
        else if (source instanceof File && e.bundle === 'coi') {
          // The threaded build opens files from its pthreads, which never see a File handle
          // registered with the main worker ("Buffering missing file", read as empty): copy the
          // bytes into the engine's (shared) memory instead.
          await e.db.registerFileBuffer(name, new Uint8Array(await source.arrayBuffer()));
        } else if (source instanceof File) await e.db.registerFileHandle(name, source, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
        else throw new AppError('invalid-argument', 'Paths cannot be registered in the browser.');
      }),
    dropFile: (name) => call(`-- drop file ${name}`, (e) => e.db.dropFile(name).then(() => undefined)),
    insertArrowIPC: (table, ipc, create) => call(`-- insert Arrow IPC into ${table}`, (e) => e.conn.insertArrowFromIPCStream(ipc, { name: table, create })),
    copyFileToBuffer: (name) => call(`-- copy ${name}`, (e) => e.db.copyFileToBuffer(name)),
    version: () => call('-- version', (e) => e.db.getVersion()),
    bundle: () => engine.then((e) => e.bundle),
    close: async () => {
      const e = await engine;
      await e.conn.close();
      await e.db.terminate();
    },
    onRestart: (listener) => listeners.push(listener),
    restart: (reason) => fail(reason),
    simulateCrash: () => {
      const w = current?.worker;
      if (w) onWorkerError(w, new ErrorEvent('error', { message: 'RuntimeError: unreachable (simulated)' }));
    },
  };
}
