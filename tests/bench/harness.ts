/**
 * The benchmark contract. A case lives in tests/bench/cases/<name>.ts and exports
 * `cases: BenchCase[]`; run.ts finds every module there, so adding a case never touches the
 * runner. Each case measures our code and a peer on the same input in the same process run and
 * returns one {@link BenchLine} per comparison.
 */

/** One result line: our time, the peer's, their ratio (ours/peer), plus any extra fields. */
export interface BenchLine {
  case: string;
  /** Median seconds of our runs. */
  ours_s: number;
  /** Who we are compared with, with version and settings. */
  peer: string;
  /** Median seconds of the peer's runs. */
  peer_s: number;
  /** ours_s / peer_s (> 1: we are slower). */
  ratio: number;
  [extra: string]: unknown;
}

/** What the runner gives each case. */
export interface BenchContext {
  /** Folder for generated inputs, kept between runs (gitignored). */
  dataDir: string;
  /** Progress for the person watching (stderr, so stdout stays parseable). */
  log(message: string): void;
  /** Collects garbage between runs when node runs with --expose-gc. */
  gc(): void;
}

/** A benchmark case; `name` is what `npm run bench -- WORD` matches against. */
export interface BenchCase {
  name: string;
  /** One sentence: what is measured, against whom, and the target. */
  description: string;
  run(ctx: BenchContext): Promise<BenchLine[]>;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds seconds for display: 3 decimals (milliseconds). */
export function seconds(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A result line from per-run timings (medians, ratio rounded to 2 decimals) and extra fields. */
export function benchLine(name: string, ours: readonly number[], peer: string, peerRuns: readonly number[], extra: Record<string, unknown> = {}): BenchLine {
  const o = median(ours);
  const p = median(peerRuns);
  return { case: name, ours_s: seconds(o), peer, peer_s: seconds(p), ratio: Math.round((o / p) * 100) / 100, ...extra };
}

/** One line of JSON in the `{"case": "...", "ours_s": 1.23, ...}` layout (a space after `:` and `,`). */
export function formatLine(line: BenchLine): string {
  return `{${Object.entries(line)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** A plain-text table of the lines, for people. */
export function formatTable(lines: readonly BenchLine[]): string {
  const header = ['case', 'ours (s)', 'peer (s)', 'ratio', 'peer'];
  const rows = lines.map((l) => [l.case, l.ours_s.toFixed(3), l.peer_s.toFixed(3), `${l.ratio.toFixed(2)}×`, l.peer]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}
