import { select, type Selection } from 'd3';

type Parent = Selection<Element, unknown, null, undefined>;

/**
 * A chart drawn as plain data before it touches the DOM: SVG elements with their attributes and
 * text. CRM charts compute a scene with D3's scales and layouts (pure functions), then
 * {@link mountScene} appends it with D3; {@link sceneToSvg} serializes the same scene, which is
 * what the SVG golden files compare (no DOM needed in Node) and what an "export SVG" would save.
 */
export interface SvgNode {
  tag: string;
  attrs?: Record<string, string | number | undefined>;
  text?: string;
  children?: SvgNode[];
}

/** The root of a chart: size, accessible label and the elements inside the `<svg>`. */
export interface Scene {
  width: number;
  height: number;
  /** Accessible description (aria-label of the role="img" svg). */
  label: string;
  children: SvgNode[];
}

/** Rounds a coordinate to 2 decimals so scenes (and goldens) do not carry float noise. */
export function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

function rootAttrs(scene: Scene): Record<string, string | number> {
  return { viewBox: `0 0 ${scene.width} ${scene.height}`, width: scene.width, height: scene.height, role: 'img', 'aria-label': scene.label, 'font-family': 'system-ui, sans-serif', 'font-size': 11 };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function nodeToSvg(node: SvgNode, depth: number): string {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const inner = (node.text !== undefined ? escapeXml(node.text) : '') + (node.children?.length ? `\n${node.children.map((c) => nodeToSvg(c, depth + 1)).join('\n')}\n${pad}` : '');
  return `${pad}<${node.tag}${attrs}>${inner}</${node.tag}>`;
}

/** The scene as SVG text (one element per line, attributes in insertion order). */
export function sceneToSvg(scene: Scene): string {
  return `${nodeToSvg({ tag: 'svg', attrs: { xmlns: 'http://www.w3.org/2000/svg', ...rootAttrs(scene) }, children: scene.children }, 0)}\n`;
}

function append(parent: Parent, node: SvgNode): void {
  const el: Parent = parent.append<Element>(node.tag);
  for (const [k, v] of Object.entries(node.attrs ?? {})) if (v !== undefined) el.attr(k, v);
  if (node.text !== undefined) el.text(node.text);
  for (const child of node.children ?? []) append(el, child);
}

/** Appends the scene to `el` as an `<svg role="img" aria-label=…>` with D3; returns its remover. */
export function mountScene(el: Element, scene: Scene): () => void {
  const svg: Parent = select(el).append<Element>('svg');
  for (const [k, v] of Object.entries(rootAttrs(scene))) svg.attr(k, v);
  for (const child of scene.children) append(svg, child);
  return () => svg.remove();
}
