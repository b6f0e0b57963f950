import { interpolateRdBu, scaleBand, scaleDiverging } from 'd3';
import type { ChartOptions } from './histogram';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** A grid of cells: one row per cluster, one column per original column. */
export interface HeatmapData {
  rows: string[];
  columns: string[];
  /** Colour of each cell on a −1 … 1 scale (e.g. the cluster mean as a z-score, clipped), or NaN for none. */
  shade: number[][];
  /** Text printed in each cell (the mean, or the top category and its share). */
  text: string[][];
}

/**
 * A heatmap of per-cluster profiles (or of correlations) as a scene: cells coloured by `shade`
 * (blue below the overall mean, red above, grey for none) showing their `text`, column names on
 * top and row names at the left.
 */
export function heatmapScene(data: HeatmapData, options: ChartOptions): Scene {
  const cellW = 96;
  const cellH = 26;
  const left = 80;
  const top = 40;
  const width = options.width ?? left + data.columns.length * cellW + 4;
  const height = options.height ?? top + data.rows.length * cellH + 4;
  const x = scaleBand<number>().domain(data.columns.map((_, j) => j)).range([left, left + data.columns.length * cellW]).padding(0.04);
  const y = scaleBand<number>().domain(data.rows.map((_, i) => i)).range([top, top + data.rows.length * cellH]).padding(0.06);
  const colour = scaleDiverging((t: number) => interpolateRdBu(1 - t)).domain([-1, 0, 1]);
  const bw = x.bandwidth();
  const bh = y.bandwidth();
  const cells: SvgNode[] = data.rows.flatMap((_, i) =>
    data.columns.map((_, j) => {
      const shade = data.shade[i][j];
      return {
        tag: 'g',
        children: [
          { tag: 'rect', attrs: { x: r2(x(j)!), y: r2(y(i)!), width: r2(bw), height: r2(bh), fill: Number.isFinite(shade) ? colour(Math.max(-1, Math.min(1, shade))) : '#f3f4f6' } },
          { tag: 'text', attrs: { class: Math.abs(shade) > 0.55 ? 'cell dark' : 'cell', x: r2(x(j)! + bw / 2), y: r2(y(i)! + bh / 2), dy: '0.35em', 'text-anchor': 'middle' }, text: data.text[i][j] },
        ],
      };
    }),
  );
  return {
    width,
    height,
    label: options.label,
    children: [
      { tag: 'g', children: data.columns.map((c, j) => ({ tag: 'text', attrs: { class: 'label', x: r2(x(j)! + bw / 2), y: top - 6, 'text-anchor': 'middle' }, text: c.length > 16 ? `${c.slice(0, 15)}…` : c })) },
      { tag: 'g', children: data.rows.map((r, i) => ({ tag: 'text', attrs: { class: 'label', x: left - 6, y: r2(y(i)! + bh / 2), dy: '0.35em', 'text-anchor': 'end' }, text: r })) },
      { tag: 'g', children: cells },
    ],
  };
}

/** Draws {@link heatmapScene} into `el`; returns a function that removes the chart. */
export function renderHeatmap(el: Element, data: HeatmapData, options: ChartOptions): () => void {
  return mountScene(el, heatmapScene(data, options));
}
