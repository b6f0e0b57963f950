import { extent, forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, max, scaleLinear, scaleSqrt, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3';
import type { RuleRow } from '../core/mining/rule-table';
import type { ChartOptions } from './histogram';
import { mountScene, r2, type Scene, type SvgNode } from './scene';

/** An item (node) and rules between items (directed links weighted by lift). */
export interface ItemNetwork {
  items: string[];
  /** From an antecedent item to a consequent item, by index into `items`. */
  links: { source: number; target: number; lift: number }[];
  /** Support of each item (fraction of baskets holding it): sets the node's size; without it, the number of rules it is in does. */
  support?: number[];
}

/**
 * The item network of some rules (e.g. the 25 with the highest lift): one node per item, one
 * link from each antecedent item to each consequent item, weighted by the rule's lift. Item
 * supports come from the rules themselves: a one-item consequent C has support(C) =
 * confidence / lift, a one-item antecedent A has support(A) = support / confidence; an item that
 * only appears in larger itemsets gets the largest support of a rule it is in (a lower bound).
 */
export function ruleNetwork(rules: readonly Pick<RuleRow, 'antecedent' | 'consequent' | 'support' | 'confidence' | 'lift'>[]): ItemNetwork {
  const items: string[] = [];
  const at = new Map<string, number>();
  const index = (name: string) => at.get(name) ?? (at.set(name, items.push(name) - 1), items.length - 1);
  const exact = new Map<number, number>();
  const bound = new Map<number, number>();
  const links: ItemNetwork['links'] = [];
  for (const r of rules) {
    const a = r.antecedent.map(index);
    const c = r.consequent.map(index);
    for (const i of [...a, ...c]) bound.set(i, Math.max(bound.get(i) ?? 0, r.support));
    if (c.length === 1 && r.lift > 0) exact.set(c[0], r.confidence / r.lift);
    if (a.length === 1 && r.confidence > 0) exact.set(a[0], r.support / r.confidence);
    for (const s of a) for (const t of c) links.push({ source: s, target: t, lift: r.lift });
  }
  return { items, links, support: items.map((_, i) => exact.get(i) ?? bound.get(i) ?? 0) };
}

interface Node extends SimulationNodeDatum {
  index: number;
  name: string;
  r: number;
}

/** Box of a label or a dot, for the overlap test. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const CHAR_W = 6.2;
const LINE_H = 12;

const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

/**
 * The layout of the items: d3-force (links, repulsion, collision by node size, a weak pull to the
 * middle) from fixed starts on a circle, stopped (the caller ticks it). Deterministic: d3-force
 * draws its jiggle from a fixed-seed generator, so the same data always come to rest in the same
 * place, however the ticks are spread over tasks.
 */
function startLayout(data: ItemNetwork, radius: (i: number) => number) {
  const nodes: Node[] = data.items.map((name, i) => ({ index: i, name, r: radius(i), x: 100 * Math.cos((2 * Math.PI * i) / data.items.length), y: 100 * Math.sin((2 * Math.PI * i) / data.items.length) }));
  const links: SimulationLinkDatum<Node>[] = data.links.map((l) => ({ source: l.source, target: l.target }));
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).distance(70).strength(0.4))
    .force('charge', forceManyBody().strength(-260))
    .force('center', forceCenter(0, 0))
    // A weak pull to the middle keeps separate groups of rules near each other instead of in the corners.
    .force('x', forceX(0).strength(0.12))
    .force('y', forceY(0).strength(0.12))
    .force('collide', forceCollide<Node>((n) => n.r + 16))
    .stop();
  return { nodes, sim, atRest: () => sim.alpha() < sim.alphaMin() };
}

/** Scales the resting layout uniformly into the plot, leaving room for labels at the right. */
function fitInto(nodes: Node[], width: number, height: number): void {
  if (nodes.length === 0) return;
  const [xa, xb] = extent(nodes, (n) => n.x!) as [number, number];
  const [ya, yb] = extent(nodes, (n) => n.y!) as [number, number];
  const m = { top: 22, right: 110, bottom: 22, left: 24 };
  const scale = Math.min((width - m.left - m.right) / Math.max(1, xb - xa), (height - m.top - m.bottom) / Math.max(1, yb - ya), 1.6);
  const cx = (m.left + width - m.right) / 2 - ((xa + xb) / 2) * scale;
  const cy = (m.top + height - m.bottom) / 2 - ((ya + yb) / 2) * scale;
  for (const n of nodes) {
    n.x = cx + n.x! * scale;
    n.y = cy + n.y! * scale;
  }
}

/**
 * Places each label at the first of right, left, above and below its dot that overlaps no label
 * placed before and no dot; when every side overlaps, at the side that overlaps least.
 */
function placeLabels(nodes: Node[], texts: string[]): { x: number; y: number; anchor: string }[] {
  const dots: Box[] = nodes.map((n) => ({ x0: n.x! - n.r, y0: n.y! - n.r, x1: n.x! + n.r, y1: n.y! + n.r }));
  const placed: Box[] = [];
  // Larger items choose first, so the most important labels get their preferred side.
  const order = nodes.map((_, i) => i).sort((a, b) => nodes[b].r - nodes[a].r || a - b);
  const out = new Array<{ x: number; y: number; anchor: string }>(nodes.length);
  for (const i of order) {
    const n = nodes[i];
    const w = texts[i].length * CHAR_W;
    const x = n.x!;
    const y = n.y!;
    const options = [
      { x: x + n.r + 3, y, anchor: 'start', box: { x0: x + n.r + 3, y0: y - LINE_H / 2, x1: x + n.r + 3 + w, y1: y + LINE_H / 2 } },
      { x: x - n.r - 3, y, anchor: 'end', box: { x0: x - n.r - 3 - w, y0: y - LINE_H / 2, x1: x - n.r - 3, y1: y + LINE_H / 2 } },
      { x, y: y - n.r - 8, anchor: 'middle', box: { x0: x - w / 2, y0: y - n.r - 8 - LINE_H / 2, x1: x + w / 2, y1: y - n.r - 8 + LINE_H / 2 } },
      { x, y: y + n.r + 9, anchor: 'middle', box: { x0: x - w / 2, y0: y + n.r + 9 - LINE_H / 2, x1: x + w / 2, y1: y + n.r + 9 + LINE_H / 2 } },
    ];
    const cost = (b: Box) => placed.reduce((s, p) => s + overlap(b, p), 0) + dots.reduce((s, d, j) => s + (j === i ? 0 : overlap(b, d)), 0);
    const costs = options.map((o) => cost(o.box));
    const pick = costs.indexOf(0) >= 0 ? costs.indexOf(0) : costs.indexOf(Math.min(...costs));
    placed.push(options[pick].box);
    out[i] = options[pick];
  }
  return out;
}

/** Node sizes: area ∝ support, or ∝ the number of rule links when supports are not given. */
function nodeRadius(data: ItemNetwork): { radius: (i: number) => number; degree: number[] } {
  const degree = new Array<number>(data.items.length).fill(0);
  for (const l of data.links) {
    degree[l.source]++;
    degree[l.target]++;
  }
  const weight = data.support ?? degree;
  const size = scaleSqrt().domain([0, max(weight) ?? 1]).range([3, 13]);
  return { radius: (i) => size(weight[i]), degree };
}

/**
 * An item network as a scene: items as dots sized by support (area ∝ support), rules as arrows
 * from antecedent to consequent item, wider for higher lift, labels placed to avoid each other.
 * The layout runs to rest first (see {@link startLayout}); same data, same picture.
 * `markerId` names the arrowhead definition.
 */
export function networkScene(data: ItemNetwork, options: ChartOptions, markerId = 'network-arrow'): Scene {
  const { radius, degree } = nodeRadius(data);
  const layout = startLayout(data, radius);
  while (!layout.atRest()) layout.sim.tick();
  return sceneAtRest(data, options, markerId, layout.nodes, degree);
}

function sceneAtRest(data: ItemNetwork, options: ChartOptions, markerId: string, nodes: Node[], degree: number[]): Scene {
  const width = options.width ?? 520;
  const height = options.height ?? 360;
  fitInto(nodes, width, height);
  const [lift0, lift1] = extent(data.links, (l) => l.lift) as [number, number];
  const stroke = scaleLinear().domain([lift0 ?? 1, lift1 === lift0 ? (lift0 ?? 1) + 1 : (lift1 ?? 2)]).range([1, 5]).clamp(true);
  const names = data.items.map((name) => (name.length > 20 ? `${name.slice(0, 19)}…` : name));
  const labels = placeLabels(nodes, names);
  const edges: SvgNode[] = data.links.map((l) => {
    const s = nodes[l.source];
    const t = nodes[l.target];
    const dx = t.x! - s.x!;
    const dy = t.y! - s.y!;
    const len = Math.hypot(dx, dy) || 1;
    // The arrow ends at the consequent's rim, not its centre.
    const back = t.r + 2;
    return {
      tag: 'line',
      attrs: { x1: r2(s.x! + (dx * s.r) / len), y1: r2(s.y! + (dy * s.r) / len), x2: r2(t.x! - (dx * back) / len), y2: r2(t.y! - (dy * back) / len), stroke: '#64748b', 'stroke-opacity': 0.6, 'stroke-width': r2(stroke(l.lift)), 'marker-end': `url(#${markerId})` },
      children: [{ tag: 'title', text: `${data.items[l.source]} → ${data.items[l.target]}: lift ${l.lift.toFixed(2)}` }],
    };
  });
  const dots: SvgNode[] = nodes.map((n, i) => ({
    tag: 'g',
    attrs: { class: 'item' },
    children: [
      {
        tag: 'circle',
        attrs: { cx: r2(n.x!), cy: r2(n.y!), r: r2(n.r), fill: '#0f766e', 'fill-opacity': 0.85 },
        children: [{ tag: 'title', text: data.support ? `${n.name}: support ${(100 * data.support[i]).toFixed(1)} %` : `${n.name}: in ${degree[i]} rule links` }],
      },
      { tag: 'text', attrs: { class: 'label', x: r2(labels[i].x), y: r2(labels[i].y), dy: '0.35em', 'text-anchor': labels[i].anchor }, text: names[i] },
    ],
  }));
  return {
    width,
    height,
    label: options.label,
    children: [
      { tag: 'defs', children: [{ tag: 'marker', attrs: { id: markerId, viewBox: '0 -4 8 8', refX: 8, markerWidth: 6, markerHeight: 6, markerUnits: 'userSpaceOnUse', orient: 'auto' }, children: [{ tag: 'path', attrs: { d: 'M0,-4L8,0L0,4', fill: '#64748b' } }] }] },
      { tag: 'g', attrs: { class: 'links' }, children: edges },
      { tag: 'g', attrs: { class: 'items' }, children: dots },
    ],
  };
}

let markers = 0;

/**
 * Draws {@link networkScene} into `el`: the layout ticks in slices of ~5 ms, one task each (so a
 * large network never holds the main thread), and the chart is mounted once at rest — exactly
 * the scene. Returns a function that removes the chart (or stops the layout).
 */
export function renderNetwork(el: Element, data: ItemNetwork, options: ChartOptions): () => void {
  const { radius, degree } = nodeRadius(data);
  const layout = startLayout(data, radius);
  const markerId = `network-arrow-${++markers}`;
  let remove: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const step = () => {
    const until = performance.now() + 5;
    while (!layout.atRest() && performance.now() < until) layout.sim.tick();
    if (layout.atRest()) remove = mountScene(el, sceneAtRest(data, options, markerId, layout.nodes, degree));
    else timer = setTimeout(step, 0);
  };
  timer = setTimeout(step, 0);
  return () => {
    clearTimeout(timer);
    remove?.();
  };
}
