import { axisBottom, axisLeft, extent, line, scaleLinear, select } from 'd3';
import type { ChartOptions } from './histogram';

/** Options of {@link renderLine}. */
export interface LineOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
  /** An x to mark with a dashed vertical rule (the suggested k or eps). */
  markX?: number;
  /** A y to mark with a dashed horizontal rule. */
  markY?: number;
}

/**
 * A line through points in x order, with dots when there are few (the elbow curve: inertia by k;
 * the k-distance curve: distance by rank). Returns a function that removes the chart.
 */
export function renderLine(el: Element, points: { x: number; y: number }[], options: LineOptions): () => void {
  const width = options.width ?? 420;
  const height = options.height ?? 200;
  const m = { top: 10, right: 12, bottom: 34, left: 56 };
  const svg = select(el).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', options.label);
  const [x0, x1] = extent(points, (p) => p.x) as [number, number];
  const [y0, y1] = extent(points, (p) => p.y) as [number, number];
  const x = scaleLinear().domain([x0 ?? 0, x1 ?? 1]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([Math.min(0, y0 ?? 0), y1 ?? 1]).nice().range([height - m.bottom, m.top]);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`).call(axisBottom(x).ticks(6).tickSizeOuter(0));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(axisLeft(y).ticks(5, '~s'));
  svg.append('text').attr('class', 'label').attr('x', (m.left + width - m.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').text(options.xLabel);
  svg.append('text').attr('class', 'label').attr('transform', `translate(12,${(m.top + height - m.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(options.yLabel);
  const path = line<{ x: number; y: number }>().x((p) => x(p.x)).y((p) => y(p.y));
  svg.append('path').datum(points).attr('fill', 'none').attr('stroke', 'currentColor').attr('stroke-width', 1.5).attr('d', path);
  if (points.length <= 40) {
    svg.append('g').selectAll('circle').data(points).join('circle').attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p.y)).attr('r', 3).attr('fill', 'currentColor')
      .append('title').text((p) => `${options.xLabel} ${p.x}: ${options.yLabel} ${+p.y.toPrecision(5)}`);
  }
  if (options.markX !== undefined) {
    svg.append('line').attr('class', 'mark').attr('x1', x(options.markX)).attr('x2', x(options.markX)).attr('y1', m.top).attr('y2', height - m.bottom).attr('stroke', '#c2410c').attr('stroke-dasharray', '4 3');
  }
  if (options.markY !== undefined) {
    svg.append('line').attr('class', 'mark').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(options.markY)).attr('y2', y(options.markY)).attr('stroke', '#c2410c').attr('stroke-dasharray', '4 3');
  }
  return () => svg.remove();
}
