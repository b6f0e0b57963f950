import { extent, interpolateViridis, scaleLinear, scaleOrdinal, scaleSequential, schemeTableau10, select } from 'd3';
import { axisScene, type ChartOptions } from './histogram';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

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

const tableau = scaleOrdinal<number, string>(schemeTableau10).domain([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

/** The colour of cluster `g` (−1, noise, is grey): shared by the scatter and its legend. */
export function groupColour(g: number): string {
  return g < 0 ? '#9ca3af' : tableau(g % 10);
}

/**
 * The scatter without its dots — axes, axis titles, an empty `g.dots` and the legend — and the
 * function that draws one point as a circle (with a tooltip up to {@link MAX_TITLED_POINTS}).
 */
function scatterFrame(points: readonly ScatterPoint[], options: ScatterOptions): { frame: Scene; dot: (p: ScatterPoint) => SvgNode } {
  const width = options.width ?? 440;
  const height = options.height ?? 300;
  const m = { top: 10, right: 90, bottom: 34, left: 52 };
  const [x0, x1] = extent(points, (p) => p.x);
  const [y0, y1] = extent(points, (p) => p.y);
  const x = scaleLinear().domain([x0 ?? 0, x1 ?? 1]).nice().range([m.left, width - m.right]);
  const y = scaleLinear().domain([y0 ?? 0, y1 ?? 1]).nice().range([height - m.bottom, m.top]);
  const [v0, v1] = extent(points, (p) => p.value ?? 0);
  const seq = scaleSequential(interpolateViridis).domain([v0 ?? 0, v1 === v0 ? (v0 ?? 0) + 1 : (v1 ?? 1)]);
  const fill = (p: ScatterPoint) => (options.colour === 'group' ? groupColour(p.group ?? 0) : seq(p.value ?? 0));
  const titled = points.length <= MAX_TITLED_POINTS;
  const r = titled ? 3.5 : 2;
  const dot = (p: ScatterPoint): SvgNode => ({
    tag: 'circle',
    attrs: { cx: r2(x(p.x)), cy: r2(y(p.y)), r, fill: fill(p), 'fill-opacity': 0.75 },
    children: titled ? [{ tag: 'title', text: p.title ?? '' }] : undefined,
  });
  const legend: SvgNode[] = [];
  if (options.colour === 'group') {
    const groups = [...new Set(points.map((p) => p.group ?? 0))].sort((a, b) => a - b).slice(0, 12);
    groups.forEach((g, i) => {
      legend.push({ tag: 'circle', attrs: { cx: 4, cy: i * 16 + 4, r: 4, fill: groupColour(g) } });
      legend.push({ tag: 'text', attrs: { class: 'label', x: 12, y: i * 16 + 7 }, text: g < 0 ? 'noise' : `cluster ${g}` });
    });
  } else {
    legend.push({ tag: 'text', attrs: { class: 'label', y: 7 }, text: options.valueLabel ?? 'value' });
    [0, 0.25, 0.5, 0.75, 1].forEach((f, i) => {
      const v = seq.domain()[0] + f * (seq.domain()[1] - seq.domain()[0]);
      legend.push({ tag: 'rect', attrs: { x: 0, y: 14 + i * 14, width: 10, height: 10, fill: seq(v) } });
      legend.push({ tag: 'text', attrs: { class: 'label', x: 14, y: 23 + i * 14 }, text: String(+v.toPrecision(3)) });
    });
  }
  const frame: Scene = {
    width,
    height,
    label: options.label,
    children: [
      axisScene('bottom', x, `translate(0,${height - m.bottom})`, { ticks: 6, tickSizeOuter: 0 }),
      axisScene('left', y, `translate(${m.left},0)`, { ticks: 5 }),
      { tag: 'text', attrs: { class: 'label', x: (m.left + width - m.right) / 2, y: height - 4, 'text-anchor': 'middle' }, text: options.xLabel },
      { tag: 'text', attrs: { class: 'label', transform: `translate(12,${(m.top + height - m.bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, text: options.yLabel },
      { tag: 'g', attrs: { class: 'dots' }, children: [] },
      { tag: 'g', attrs: { class: 'legend', transform: `translate(${width - m.right + 12},${m.top})` }, children: legend },
    ],
  };
  return { frame, dot };
}

/**
 * A scatter plot as a scene (the PCA projection coloured by cluster; rules by support ×
 * confidence coloured by lift): axes, axis titles, one circle per point in `g.dots` (up to
 * {@link MAX_TITLED_POINTS} with a tooltip) and a legend of clusters or of the value scale.
 */
export function scatterScene(points: readonly ScatterPoint[], options: ScatterOptions): Scene {
  const { frame, dot } = scatterFrame(points, options);
  return { ...frame, children: frame.children.map((n) => (n.attrs?.class === 'dots' ? { ...n, children: points.map(dot) } : n)) };
}

/**
 * Draws the scatter into `el`; returns a function that removes it. Thousands of SVG circles
 * created at once hold the main thread for tens of milliseconds (colours, creation, style,
 * layout), so the dots are made and added in slices of a few milliseconds, one task each; once
 * done, the element holds exactly {@link scatterScene}.
 */
export function renderScatter(el: Element, points: ScatterPoint[], options: ScatterOptions): () => void {
  const { frame, dot } = scatterFrame(points, options);
  return mountInSlices(el, frame, 'dots', points.length, (i) => dot(points[i]));
}

/**
 * Mounts a scene, then fills its (empty) `g.<slot>` child with `count` similar elements (dots)
 * made by `make(i)`, in slices of ~4 ms, one task each. Returns the remover.
 */
export function mountInSlices(el: Element, scene: Scene, slot: string, count: number, make: (i: number) => SvgNode): () => void {
  const at = scene.children.findIndex((n) => n.attrs?.class === slot);
  const remove = mountScene(el, scene);
  const svg = el.children[el.children.length - 1];
  const g = select(svg.children[at]);
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slice = () => {
    const until = performance.now() + 4;
    while (next < count && performance.now() < until) {
      for (const end = Math.min(count, next + 50); next < end; next++) {
        const node = make(next);
        const c = g.append(node.tag);
        for (const [k, v] of Object.entries(node.attrs ?? {})) if (v !== undefined) c.attr(k, v);
        for (const t of node.children ?? []) c.append(t.tag).text(t.text ?? '');
      }
    }
    if (next < count) timer = setTimeout(slice, 0);
  };
  timer = setTimeout(slice, 0);
  return () => {
    clearTimeout(timer);
    remove();
  };
}
