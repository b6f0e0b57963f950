import { axisBottom, axisLeft, extent, interpolateViridis, scaleLinear, scaleOrdinal, scaleSequential, schemeTableau10, select } from 'd3';
import type { ChartOptions } from './histogram';

/** Above this many points the dots are smaller and carry no tooltip. */
export const MAX_TITLED_POINTS = 500;

/** One dot: its position, and either a group (cluster) or a value (lift) that colours it. */
export interface ScatterPoint {
  x: number;
  y: number;
  group?: number;
  value?: number;
  /** Tooltip text. */
  title?: string;
}

/** Options of {@link renderScatter}. */
export interface ScatterOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
  /** Colour by `group` (categorical, with a legend) or by `value` (sequential). */
  colour: 'group' | 'value';
  /** Legend title for `value` colouring, e.g. "lift". */
  valueLabel?: string;
}

/** The colour of cluster `g` (−1, noise, is grey): shared by the scatter and its legend. */
export function groupColour(g: number): string {
  return g < 0 ? '#9ca3af' : scaleOrdinal<number, string>(schemeTableau10).domain([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])(g % 10);
}

/**
 * A scatter plot (the PCA projection coloured by cluster; rules by support × confidence coloured
 * by lift). Points are SVG circles added in short slices (one task each, so thousands never block
 * the main thread); up to {@link MAX_TITLED_POINTS} carry tooltips. Returns a dispose function.
 */
export function renderScatter(el: Element, points: ScatterPoint[], options: ScatterOptions): () => void {
  const width = options.width ?? 440;
  const height = options.height ?? 300;
  const m = { top: 10, right: 90, bottom: 34, left: 52 };
  const svg = select(el).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', options.label);
  const [x0, x1] = extent(points, (p) => p.x);
  const [y0, y1] = extent(points, (p) => p.y);
  const x = scaleLinear().domain([x0 ?? 0, x1 ?? 1]).nice().range([m.left, width - m.right]);
  const y = scaleLinear().domain([y0 ?? 0, y1 ?? 1]).nice().range([height - m.bottom, m.top]);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`).call(axisBottom(x).ticks(6).tickSizeOuter(0));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(axisLeft(y).ticks(5));
  svg.append('text').attr('class', 'label').attr('x', (m.left + width - m.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').text(options.xLabel);
  svg.append('text').attr('class', 'label').attr('transform', `translate(12,${(m.top + height - m.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(options.yLabel);
  const [v0, v1] = extent(points, (p) => p.value ?? 0);
  const seq = scaleSequential(interpolateViridis).domain([v0 ?? 0, v1 === v0 ? (v0 ?? 0) + 1 : (v1 ?? 1)]);
  const fill = (p: ScatterPoint) => (options.colour === 'group' ? groupColour(p.group ?? 0) : seq(p.value ?? 0));
  // Thousands of SVG circles created at once hold the main thread for tens of milliseconds
  // (creation, style, layout): they are added in slices of a few milliseconds, one task each.
  const dots = svg.append('g').attr('class', 'dots');
  const r = points.length > MAX_TITLED_POINTS ? 2 : 3.5;
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slice = () => {
    const until = performance.now() + 4;
    while (next < points.length && performance.now() < until) {
      const batch = points.slice(next, next + 50);
      next += batch.length;
      const circles = dots.selectAll(null).data(batch).enter().append('circle')
        .attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p.y)).attr('r', r).attr('fill', fill).attr('fill-opacity', 0.75);
      if (points.length <= MAX_TITLED_POINTS) circles.append('title').text((p) => p.title ?? '');
    }
    if (next < points.length) timer = setTimeout(slice, 0);
  };
  timer = setTimeout(slice, 0);
  const legend = svg.append('g').attr('class', 'legend').attr('transform', `translate(${width - m.right + 12},${m.top})`);
  if (options.colour === 'group') {
    const groups = [...new Set(points.map((p) => p.group ?? 0))].sort((a, b) => a - b).slice(0, 12);
    groups.forEach((g, i) => {
      legend.append('circle').attr('cx', 4).attr('cy', i * 16 + 4).attr('r', 4).attr('fill', groupColour(g));
      legend.append('text').attr('class', 'label').attr('x', 12).attr('y', i * 16 + 7).text(g < 0 ? 'noise' : `cluster ${g}`);
    });
  } else {
    legend.append('text').attr('class', 'label').attr('y', 7).text(options.valueLabel ?? 'value');
    [0, 0.25, 0.5, 0.75, 1].forEach((f, i) => {
      const v = seq.domain()[0] + f * (seq.domain()[1] - seq.domain()[0]);
      legend.append('rect').attr('x', 0).attr('y', 14 + i * 14).attr('width', 10).attr('height', 10).attr('fill', seq(v));
      legend.append('text').attr('class', 'label').attr('x', 14).attr('y', 23 + i * 14).text(+v.toPrecision(3));
    });
  }
  return () => {
    clearTimeout(timer);
    svg.remove();
  };
}
