import type { DbConnector } from '../../src/services/db/connector';

/** One statement our code sent to DuckDB, tagged with the benchmark phase it ran in. */
export interface RecordedStatement {
  phase: string;
  sql: string;
  /** Seconds the call took through the connector (query + Arrow result). */
  seconds: number;
}

/** A connector that passes everything through and remembers what was run. */
export interface RecordingConnector {
  db: DbConnector;
  /** Every query() in call order. */
  statements: RecordedStatement[];
  /** Engine file name → disk path, for files registered by path. */
  files: Map<string, string>;
  /** Tags the statements that follow (e.g. 'load', 'profile'). */
  setPhase(phase: string): void;
}

/**
 * Wraps a connector to record the exact SQL text our code runs, so a peer engine can replay the
 * very same statements (the mosaic-style "one Connector interface" makes this a thin layer).
 */
export function recordingConnector(inner: DbConnector): RecordingConnector {
  const statements: RecordedStatement[] = [];
  const files = new Map<string, string>();
  let phase = 'setup';
  const db: DbConnector = {
    async query(sql) {
      const t0 = performance.now();
      try {
        return await inner.query(sql);
      } finally {
        statements.push({ phase, sql, seconds: (performance.now() - t0) / 1000 });
      }
    },
    async registerFile(name, source) {
      if (!(source instanceof Uint8Array) && 'path' in source) files.set(name, source.path);
      return inner.registerFile(name, source);
    },
    dropFile: (name) => inner.dropFile(name),
    insertArrowIPC: (table, ipc, create) => inner.insertArrowIPC(table, ipc, create),
    copyFileToBuffer: (name) => inner.copyFileToBuffer(name),
    version: () => inner.version(),
    close: () => inner.close(),
  };
  return { db, statements, files, setPhase: (p) => (phase = p) };
}

/**
 * The recorded SQL with every registered engine file name (as a quoted literal) replaced by its
 * disk path, for an engine that reads the file system directly.
 */
export function withFilePaths(sql: string, files: ReadonlyMap<string, string>): string {
  let out = sql;
  for (const [name, path] of files) out = out.split(`'${name.replace(/'/g, "''")}'`).join(`'${path.replace(/'/g, "''")}'`);
  return out;
}
