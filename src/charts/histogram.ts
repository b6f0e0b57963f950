import { axisBottom, max, scaleLinear } from 'd3';
import { appendChartSvg } from './svg';
import type { Bin } from '../services/db/profile';

/** Size and labelling of a small chart. */
export interface ChartOptions {
  width?: number;
  height?: number;
  /** Accessible description of what the chart shows. */
  label: string;
}

const fmt = (v: number) => (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : +v.toFixed(2)).toString();

/**
 * A histogram of equal-width bins (from the profile's SQL) drawn with D3 into `el`.
 * Returns a function that removes the chart.
 */
export function renderHistogram(el: Element, bins: Bin[], options: ChartOptions): () => void {
  const width = options.width ?? 260;
  const height = options.height ?? 90;
  const margin = { top: 4, right: 6, bottom: 18, left: 6 };
  const svg = appendChartSvg(el, width, height, options.label);
  if (bins.length > 0) {
    const x = scaleLinear()
      .domain([bins[0].x0, bins[bins.length - 1].x1])
      .range([margin.left, width - margin.right]);
    const y = scaleLinear()
      .domain([0, max(bins, (b) => b.count) ?? 1])
      .nice()
      .range([height - margin.bottom, margin.top]);
    svg
      .append('g')
      .attr('class', 'bars')
      .selectAll('rect')
      .data(bins)
      .join('rect')
      .attr('x', (b) => x(b.x0) + 0.5)
      .attr('width', (b) => Math.max(1, x(b.x1) - x(b.x0) - 1))
      .attr('y', (b) => y(b.count))
      .attr('height', (b) => y(0) - y(b.count))
      .append('title')
      .text((b) => `${fmt(b.x0)} – ${fmt(b.x1)}: ${b.count.toLocaleString('en-US')}`);
    svg
      .append('g')
      .attr('class', 'axis')
      .attr('transform', `translate(0,${height - margin.bottom})`)
      .call(axisBottom(x).ticks(4).tickFormat((d) => fmt(Number(d))).tickSizeOuter(0));
  }
  return () => svg.remove();
}
