import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, max, scaleLinear, select, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3';
import type { ChartOptions } from './histogram';

/** An item (node) and rules between items (directed links weighted by lift). */
export interface ItemNetwork {
  items: string[];
  /** From an antecedent item to a consequent item, by index into `items`. */
  links: { source: number; target: number; lift: number }[];
}

interface Node extends SimulationNodeDatum {
  name: string;
}

/**
 * An item network: items as labelled dots, rules as arrows from antecedent to consequent items,
 * thicker for higher lift. Laid out by d3-force: 300 ticks run in short slices (no animation, the
 * same picture each time), drawn once at rest. Returns a function that removes the chart.
 */
export function renderNetwork(el: Element, data: ItemNetwork, options: ChartOptions): () => void {
  const width = options.width ?? 520;
  const height = options.height ?? 360;
  const svg = select(el).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', options.label);
  const nodes: Node[] = data.items.map((name, i) => ({ name, x: width / 2 + 100 * Math.cos(i), y: height / 2 + 100 * Math.sin(i) }));
  const links: (SimulationLinkDatum<Node> & { lift: number })[] = data.links.map((l) => ({ source: l.source, target: l.target, lift: l.lift }));
  const sim = forceSimulation(nodes)
    .force('link', forceLink(links).distance(80))
    .force('charge', forceManyBody().strength(-160))
    .force('center', forceCenter(width / 2, height / 2))
    .force('collide', forceCollide(18))
    .stop();
  const stroke = scaleLinear().domain([1, max(links, (l) => l.lift) ?? 2]).range([1, 4]).clamp(true);
  const marker = `arrow-${Math.random().toString(36).slice(2, 8)}`;
  svg.append('defs').append('marker').attr('id', marker).attr('viewBox', '0 -4 8 8').attr('refX', 16).attr('markerWidth', 6).attr('markerHeight', 6).attr('orient', 'auto')
    .append('path').attr('d', 'M0,-4L8,0L0,4').attr('fill', '#64748b');
  const edges = svg.append('g').selectAll('line').data(links).join('line')
    .attr('stroke', '#64748b').attr('stroke-opacity', 0.6).attr('stroke-width', (l) => stroke(l.lift)).attr('marker-end', `url(#${marker})`);
  edges.append('title').text((l) => `${data.items[l.source as number]} → ${data.items[l.target as number]}: lift ${l.lift.toFixed(2)}`);
  const g = svg.append('g').selectAll('g').data(nodes).join('g');
  g.append('circle').attr('r', 6).attr('fill', '#0f766e');
  g.append('text').attr('class', 'label').attr('x', 9).attr('dy', '0.35em').text((n) => (n.name.length > 20 ? `${n.name.slice(0, 19)}…` : n.name));
  const place = () => {
    for (const n of nodes) {
      n.x = Math.max(20, Math.min(width - 20, n.x ?? 0));
      n.y = Math.max(14, Math.min(height - 14, n.y ?? 0));
    }
    edges.attr('x1', (l) => (l.source as Node).x!).attr('y1', (l) => (l.source as Node).y!).attr('x2', (l) => (l.target as Node).x!).attr('y2', (l) => (l.target as Node).y!);
    g.attr('transform', (n) => `translate(${n.x},${n.y})`);
  };
  // The layout runs to rest in slices of a few milliseconds, one task each, so the main thread
  // is never held long (d3-force's own timer would animate; this settles on the same layout).
  let ticks = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const step = () => {
    const until = performance.now() + 5;
    while (ticks < 300 && performance.now() < until) {
      sim.tick();
      ticks++;
    }
    if (ticks < 300) timer = setTimeout(step, 0);
    else place();
  };
  timer = setTimeout(step, 0);
  return () => {
    clearTimeout(timer);
    svg.remove();
  };
}
