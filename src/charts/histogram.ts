import { axisBottom, max, scaleLinear } from 'd3';
import { appendChartSvg } from './svg';
import type { SvgNode } from './scene';
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

/** A scale an axis can be drawn for: linear (ticks) or band (one tick per category). */
interface AxisScale {
  (value: never): number | undefined;
  range(): number[];
  domain(): unknown[];
  ticks?(count?: number): number[];
  tickFormat?(count?: number, specifier?: string): (v: number) => string;
  bandwidth?(): number;
}

/** Settings of {@link axisScene}, as on a d3 axis. */
export interface AxisSettings {
  ticks?: number;
  /** d3-format specifier for linear ticks (`axis.ticks(n, specifier)`). */
  specifier?: string;
  tickValues?: unknown[];
  tickFormat?: (v: never) => string;
  tickSizeOuter?: number;
}

/**
 * A bottom or left axis as scene nodes, exactly the elements d3-axis appends (a `path.domain`,
 * then one `g.tick` with a line and a label per tick, on the half-pixel offset d3 uses), so
 * charts built as scenes look as they did when drawn with `axisBottom`/`axisLeft`.
 */
export function axisScene(orient: 'bottom' | 'left', scale: AxisScale, transform: string, settings: AxisSettings = {}): SvgNode {
  const offset = 0.5;
  const inner = 6;
  const outer = settings.tickSizeOuter ?? 6;
  const k = orient === 'left' ? -1 : 1;
  const values = settings.tickValues ?? (scale.ticks ? scale.ticks(settings.ticks) : scale.domain());
  const format = (settings.tickFormat as ((v: unknown) => string) | undefined)
    ?? (scale.tickFormat ? (scale.tickFormat(settings.ticks, settings.specifier) as (v: unknown) => string) : (v: unknown) => String(v));
  const range = scale.range();
  const r0 = +range[0] + offset;
  const r1 = +range[range.length - 1] + offset;
  const band = scale.bandwidth ? Math.max(0, scale.bandwidth() - offset * 2) / 2 : 0;
  const position = (v: unknown) => (scale as unknown as (v: unknown) => number)(v) + band + offset;
  const domainPath = orient === 'left'
    ? (outer ? `M${k * outer},${r0}H${offset}V${r1}H${k * outer}` : `M${offset},${r0}V${r1}`)
    : (outer ? `M${r0},${k * outer}V${offset}H${r1}V${k * outer}` : `M${r0},${offset}H${r1}`);
  return {
    tag: 'g',
    attrs: { class: 'axis', transform, fill: 'none', 'font-size': 10, 'font-family': 'sans-serif', 'text-anchor': orient === 'left' ? 'end' : 'middle' },
    children: [
      { tag: 'path', attrs: { class: 'domain', stroke: 'currentColor', d: domainPath } },
      ...values.map((v) => ({
        tag: 'g',
        attrs: { class: 'tick', opacity: 1, transform: orient === 'left' ? `translate(0,${position(v)})` : `translate(${position(v)},0)` },
        children: [
          { tag: 'line', attrs: orient === 'left' ? { stroke: 'currentColor', x2: k * inner } : { stroke: 'currentColor', y2: k * inner } },
          { tag: 'text', attrs: orient === 'left' ? { fill: 'currentColor', x: k * (inner + 3), dy: '0.32em' } : { fill: 'currentColor', y: k * (inner + 3), dy: '0.71em' }, text: format(v) },
        ],
      })),
    ],
  };
}
