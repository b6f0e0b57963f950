import { interpolateRdBu, scaleBand, scaleDiverging, select } from 'd3';
import type { ChartOptions } from './histogram';

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
 * A heatmap of per-cluster profiles: cells are coloured by `shade` (blue below the overall mean,
 * red above) and show their `text`. Returns a function that removes the chart.
 */
export function renderHeatmap(el: Element, data: HeatmapData, options: ChartOptions): () => void {
  const cellW = 96;
  const cellH = 26;
  const left = 80;
  const top = 40;
  const width = options.width ?? left + data.columns.length * cellW + 4;
  const height = options.height ?? top + data.rows.length * cellH + 4;
  const svg = select(el).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', options.label);
  const x = scaleBand<number>().domain(data.columns.map((_, j) => j)).range([left, left + data.columns.length * cellW]).padding(0.04);
  const y = scaleBand<number>().domain(data.rows.map((_, i) => i)).range([top, top + data.rows.length * cellH]).padding(0.06);
  const colour = scaleDiverging((t: number) => interpolateRdBu(1 - t)).domain([-1, 0, 1]);
  svg.append('g').selectAll('text').data(data.columns).join('text').attr('class', 'label')
    .attr('x', (_, j) => x(j)! + x.bandwidth() / 2).attr('y', top - 6).attr('text-anchor', 'middle')
    .text((c) => (c.length > 16 ? `${c.slice(0, 15)}…` : c));
  svg.append('g').selectAll('text').data(data.rows).join('text').attr('class', 'label')
    .attr('x', left - 6).attr('y', (_, i) => y(i)! + y.bandwidth() / 2).attr('dy', '0.35em').attr('text-anchor', 'end').text((r) => r);
  const cells = data.rows.flatMap((_, i) => data.columns.map((_, j) => ({ i, j })));
  const g = svg.append('g').selectAll('g').data(cells).join('g');
  g.append('rect').attr('x', (c) => x(c.j)!).attr('y', (c) => y(c.i)!).attr('width', x.bandwidth()).attr('height', y.bandwidth())
    .attr('fill', (c) => (Number.isFinite(data.shade[c.i][c.j]) ? colour(Math.max(-1, Math.min(1, data.shade[c.i][c.j]))) : '#f3f4f6'));
  g.append('text').attr('class', (c) => (Math.abs(data.shade[c.i][c.j]) > 0.55 ? 'cell dark' : 'cell')).attr('x', (c) => x(c.j)! + x.bandwidth() / 2).attr('y', (c) => y(c.i)! + y.bandwidth() / 2).attr('dy', '0.35em')
    .attr('text-anchor', 'middle').text((c) => data.text[c.i][c.j]);
  return () => svg.remove();
}
