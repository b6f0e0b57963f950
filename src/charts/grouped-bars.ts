import { max, scaleBand, scaleLinear, scaleOrdinal, schemeTableau10 } from 'd3';
import { leftAxis, legendColumn, shortNumber } from './axes';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** Values by group (x axis) and series (colour): `values[g][s]`, NaN where a pair has none. */
export interface GroupedBarsData {
  groups: string[];
  series: string[];
  values: number[][];
}

/** Size, labels and layout of the bars. */
export interface GroupedBarsOptions {
  label: string;
  yLabel: string;
  /** Side by side ("grouped") or on top of each other ("stacked"). */
  mode: 'grouped' | 'stacked';
  width?: number;
  height?: number;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Vertical bars of a category × category aggregate as a scene, grouped or stacked, coloured by
 * series with a legend and a tooltip per bar. Stacking is meant for additive measures (count,
 * sum); negative values stack below zero.
 */
export function groupedBarsScene(data: GroupedBarsData, options: GroupedBarsOptions): Scene {
  const m = { top: 12, right: 124, bottom: 46, left: 56 };
  const width = options.width ?? Math.max(520, 180 + data.groups.length * (options.mode === 'grouped' ? 14 * data.series.length + 12 : 40));
  const height = options.height ?? Math.max(240, m.top + data.series.length * 16 + 10);
  const v = (g: number, s: number) => (Number.isFinite(data.values[g]?.[s]) ? data.values[g][s] : 0);
  const stacks = data.groups.map((_, g) => {
    let pos = 0;
    let neg = 0;
    return data.series.map((_, s) => {
      const val = v(g, s);
      const base = val >= 0 ? pos : neg;
      if (val >= 0) pos += val;
      else neg += val;
      return [base, base + val] as const;
    });
  });
  const hi = options.mode === 'stacked' ? max(stacks.flat(), (p) => Math.max(p[0], p[1])) : max(data.groups.flatMap((_, g) => data.series.map((_, s) => v(g, s))));
  const lo = options.mode === 'stacked' ? Math.min(0, ...stacks.flat().map((p) => Math.min(p[0], p[1]))) : Math.min(0, ...data.groups.flatMap((_, g) => data.series.map((_, s) => v(g, s))));
  const x = scaleBand<number>().domain(data.groups.map((_, i) => i)).range([m.left, width - m.right]).padding(0.18);
  const inner = scaleBand<number>().domain(data.series.map((_, i) => i)).range([0, x.bandwidth()]).padding(0.05);
  const y = scaleLinear().domain([lo, hi || 1]).nice().range([height - m.bottom, m.top]);
  const colour = scaleOrdinal<number, string>(schemeTableau10).domain(data.series.map((_, i) => i));
  const bars: SvgNode[] = [];
  data.groups.forEach((group, g) => {
    data.series.forEach((series, s) => {
      const val = data.values[g]?.[s];
      if (!Number.isFinite(val)) return;
      const [a, b] = options.mode === 'stacked' ? stacks[g][s] : [0, val];
      bars.push({
        tag: 'rect',
        attrs: {
          x: r2(x(g)! + (options.mode === 'grouped' ? inner(s)! : 0)),
          y: r2(y(Math.max(a, b))),
          width: r2(options.mode === 'grouped' ? inner.bandwidth() : x.bandwidth()),
          height: r2(Math.abs(y(a) - y(b))),
          fill: colour(s),
        },
        children: [{ tag: 'title', text: `${group}, ${series}: ${shortNumber(val)}` }],
      });
    });
  });
  const labels: SvgNode[] = data.groups.map((group, g) => ({
    tag: 'text',
    attrs: { x: r2(x(g)! + x.bandwidth() / 2), y: height - m.bottom + 14, 'text-anchor': 'middle' },
    text: clip(group, Math.max(4, Math.floor(x.step() / 6))),
  }));
  return {
    width,
    height,
    label: options.label,
    children: [
      leftAxis(y, m, width, options.yLabel),
      { tag: 'g', attrs: { class: 'marks' }, children: bars },
      { tag: 'g', attrs: { class: 'x-labels' }, children: labels },
      legendColumn(data.series.map((s, i) => ({ label: s, colour: colour(i) })), width - m.right + 14, m.top + 6),
    ],
  };
}

/** Draws the grouped or stacked bars into `el` with D3; returns a function that removes them. */
export function renderGroupedBars(el: Element, data: GroupedBarsData, options: GroupedBarsOptions): () => void {
  return mountScene(el, groupedBarsScene(data, options));
}
