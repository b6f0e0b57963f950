import type { DbConnector } from '../services/db/connector';
import { loadFiles } from '../services/db/ingest';
import { uniqueName } from '../services/db/sql';
import type { IngestApi } from '../shared/ingest-api';

/** A built-in dataset: the generated demo CRM, or a public dataset copied into public/samples. */
export interface Sample {
  id: SampleId;
  label: string;
  description: string;
  /** CSV file under /samples/ (public datasets), or absent for the generated demo. */
  file?: string;
}

export type SampleId = 'demo-crm' | 'mlc-churn' | 'attrition' | 'penguins' | 'iris' | 'breast-cancer' | 'wine';

export const SAMPLES: Sample[] = [
  { id: 'demo-crm', label: 'Demo CRM', description: 'Generated customers, orders, order lines and feedback (seeded; known true parameters)' },
  { id: 'mlc-churn', label: 'Telecom churn', description: '5,000 telecom customers with a churn flag (modeldata mlc_churn)', file: 'mlc_churn.csv' },
  { id: 'attrition', label: 'Employee attrition', description: '1,470 employees, many categorical columns (IBM sample via modeldata)', file: 'attrition.csv' },
  { id: 'penguins', label: 'Penguins', description: '344 penguins with missing values (palmerpenguins)', file: 'penguins.csv' },
  { id: 'iris', label: 'Iris', description: 'The classic 150 flowers (scikit-learn)', file: 'iris.csv' },
  { id: 'breast-cancer', label: 'Breast cancer', description: 'Wisconsin diagnostic, 569 × 31 (scikit-learn)', file: 'breast_cancer.csv' },
  { id: 'wine', label: 'Wine', description: '178 wines, 13 features, 3 classes (scikit-learn)', file: 'wine.csv' },
];

/** Seed of the built-in demo: the same demo data on every machine. */
export const DEMO_SEED = 42;

let prefetched: Promise<{ name: string; ipc: Uint8Array }[]> | null = null;

/**
 * Starts generating the demo in the ingest worker now (while the engine is still starting), for
 * the next loadSample('demo-crm') to use once. The bytes are transferred to DuckDB on insert, so
 * a prefetch serves one load only.
 */
export function prefetchDemo(ingest: IngestApi): void {
  prefetched ??= ingest.demo(DEMO_SEED);
  prefetched.catch(() => (prefetched = null));
}

/**
 * Loads a sample into DuckDB and returns the table names created. The demo is generated in the
 * ingest worker and inserted as Arrow; public samples are fetched from the app's own origin.
 */
export async function loadSample(db: DbConnector, ingest: IngestApi, id: SampleId, taken: string[]): Promise<string[]> {
  const sample = SAMPLES.find((s) => s.id === id);
  if (!sample) throw new Error(`unknown sample ${id}`);
  if (!sample.file) {
    const ready = prefetched;
    prefetched = null;
    const tables = await (ready ?? ingest.demo(DEMO_SEED));
    const names: string[] = [];
    for (const t of tables) {
      const name = uniqueName(t.name, [...taken, ...names]);
      await db.insertArrowIPC(name, t.ipc, true);
      names.push(name);
    }
    return names;
  }
  const response = await fetch(`${import.meta.env.BASE_URL}samples/${sample.file}`);
  if (!response.ok) throw new Error(`The ${sample.label} sample could not be read (${response.status}).`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const loaded = await loadFiles(db, ingest, {
    // A copy for the head: registering the file transfers `bytes` to the engine, detaching any view of it.
    files: [{ name: sample.file, size: bytes.length, source: bytes, head: bytes.slice(0, 65536) }],
  });
  return loaded.map((t) => t.table);
}
