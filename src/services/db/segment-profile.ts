import type { DbConnector } from './connector';
import { withLabels, type FeatureColumn } from './features';
import { ident } from './sql';

/** What each cluster looks like in the original columns (units of the columns, unscaled). */
export interface ClusterProfile {
  /** Cluster numbers, ascending (−1 is DBSCAN's noise). */
  clusters: number[];
  /** Rows in each cluster. */
  sizes: number[];
  /** Mean of each numeric column in each cluster (`means[c]` follows `clusters`). */
  numeric: { column: string; means: number[] }[];
  /** Most frequent value of each text column in each cluster, with its share of the cluster's rows. */
  categorical: { column: string; top: { value: string | null; share: number }[] }[];
}

/**
 * Profiles clusters in DuckDB: labels are joined to their rows by rowid, then numeric columns are
 * averaged and text columns' most frequent values counted per cluster.
 */
export async function profileClusters(db: DbConnector, table: string, columns: FeatureColumn[], rowIds: Int32Array, labels: Int32Array): Promise<ClusterProfile> {
  const numeric = columns.filter((c) => c.kind === 'numeric');
  const text = columns.filter((c) => c.kind === 'categorical');
  const from = (l: string) => `${ident(table)} t JOIN ${l} l ON l.rid = t.rowid`;
  return withLabels(db, rowIds, labels, async (l) => {
    const sums = await db.query(
      `SELECT l.label AS cluster, count(*)::BIGINT AS n${numeric.map((c, j) => `, avg(t.${ident(c.name)}::DOUBLE) AS m${j}`).join('')} FROM ${from(l)} GROUP BY 1 ORDER BY 1`,
    );
    const rows = sums.toArray().map((r) => r.toJSON());
    const clusters = rows.map((r) => Number(r.cluster));
    const profile: ClusterProfile = {
      clusters,
      sizes: rows.map((r) => Number(r.n)),
      numeric: numeric.map((c, j) => ({ column: c.name, means: rows.map((r) => (r[`m${j}`] === null ? NaN : Number(r[`m${j}`]))) })),
      categorical: [],
    };
    for (const c of text) {
      const top = await db.query(
        `SELECT cluster, v, share FROM (SELECT l.label AS cluster, t.${ident(c.name)}::VARCHAR AS v,
           count(*) / sum(count(*)) OVER (PARTITION BY l.label) AS share,
           row_number() OVER (PARTITION BY l.label ORDER BY count(*) DESC, v NULLS LAST) AS r
         FROM ${from(l)} GROUP BY 1, 2) WHERE r = 1 ORDER BY cluster`,
      );
      const byCluster = new Map(top.toArray().map((r) => { const o = r.toJSON(); return [Number(o.cluster), { value: o.v === null ? null : String(o.v), share: Number(o.share) }]; }));
      profile.categorical.push({ column: c.name, top: clusters.map((k) => byCluster.get(k) ?? { value: null, share: 0 }) });
    }
    return profile;
  });
}
