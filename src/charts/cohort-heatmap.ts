import { interpolateBlues, scaleBand, scaleSequential } from 'd3';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** What the cohort heatmap draws: cohortMatrix()'s output (src/core/crm/cohorts.ts). */
export interface CohortHeatmapData {
  /** Cohort months, YYYY-MM, one row each. */
  cohorts: string[];
  /** Customers per cohort. */
  sizes: number[];
  /** retention[i][k], 0–1, or null where month k is not observed yet. */
  retention: (number | null)[][];
}

/** Size and label of the heatmap. */
export interface CohortHeatmapOptions {
  label: string;
  /** Width of one cell in px (default 34). */
  cell?: number;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The cohort retention heatmap as a scene: one row per first-purchase month (with its size), one
 * column per month since, cells shaded by retention on a Blues scale whose top is the highest
 * retention after month 0 (month 0 is always 100%), and the percentage printed in each cell.
 * Unobserved cells are left empty.
 */
export function cohortHeatmapScene(data: CohortHeatmapData, options: CohortHeatmapOptions): Scene {
  const cell = options.cell ?? 34;
  const left = 110;
  const top = 28;
  const months = Math.max(0, ...data.retention.map((r) => r.length));
  const width = Math.max(left + months * cell + 8, left + 170);
  const height = top + data.cohorts.length * 20 + 8;
  const x = scaleBand<number>().domain([...Array(months).keys()]).range([left, left + months * cell]);
  const y = scaleBand<number>().domain([...data.cohorts.keys()]).range([top, top + data.cohorts.length * 20]);
  let peak = 0;
  for (const row of data.retention) for (let k = 1; k < row.length; k++) peak = Math.max(peak, row[k] ?? 0);
  const color = scaleSequential(interpolateBlues).domain([0, peak || 1]).clamp(true);
  const children: SvgNode[] = [
    { tag: 'text', attrs: { class: 'axis-title', x: left, y: 10, 'dominant-baseline': 'middle' }, text: 'Months since first purchase' },
    {
      tag: 'g',
      attrs: { class: 'x-labels' },
      children: x.domain().map((k) => ({ tag: 'text', attrs: { x: r2(x(k)! + x.bandwidth() / 2), y: top - 6, 'text-anchor': 'middle' }, text: String(k) })),
    },
  ];
  data.cohorts.forEach((cohort, i) => {
    const yy = y(i)!;
    const cells: SvgNode[] = [{ tag: 'text', attrs: { class: 'cohort', x: left - 6, y: r2(yy + y.bandwidth() / 2), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text: `${cohort} (${data.sizes[i]})` }];
    data.retention[i].forEach((v, k) => {
      if (v === null) return;
      const fill = k === 0 ? '#e5e7eb' : color(v);
      const dark = k > 0 && v > (peak || 1) * 0.55;
      cells.push({
        tag: 'rect',
        attrs: { x: r2(x(k)!), y: r2(yy), width: r2(x.bandwidth() - 1), height: r2(y.bandwidth() - 1), fill },
        children: [{ tag: 'title', text: `${cohort}, month ${k}: ${pct(v)} of ${data.sizes[i]} customers` }],
      });
      cells.push({ tag: 'text', attrs: { x: r2(x(k)! + x.bandwidth() / 2), y: r2(yy + y.bandwidth() / 2), 'text-anchor': 'middle', 'dominant-baseline': 'middle', fill: dark ? '#ffffff' : '#111827' }, text: pct(v) });
    });
    children.push({ tag: 'g', attrs: { class: 'cohort-row' }, children: cells });
  });
  return { width, height, label: options.label, children };
}

/** Draws the cohort heatmap into `el` with D3; returns a function that removes it. */
export function renderCohortHeatmap(el: Element, data: CohortHeatmapData, options: CohortHeatmapOptions): () => void {
  return mountScene(el, cohortHeatmapScene(data, options));
}
