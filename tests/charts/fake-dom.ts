/**
 * The few DOM calls d3-selection makes to append elements, set attributes and text, and remove
 * them (createElementNS, appendChild/insertBefore, setAttribute, textContent, removeChild) —
 * enough to run a chart's render() in Node without jsdom and serialize what it built.
 */
export class FakeElement {
  readonly children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  parentNode: FakeElement | null = null;
  textContent = '';
  readonly ownerDocument: { createElementNS(ns: string, name: string): FakeElement };

  constructor(
    readonly tagName: string,
    readonly namespaceURI = 'http://www.w3.org/1999/xhtml',
  ) {
    this.ownerDocument = { createElementNS: (ns, name) => new FakeElement(name, ns) };
  }

  appendChild(child: FakeElement): FakeElement {
    child.parentNode = this;
    this.children.push(child);
    return child;
  }

  insertBefore(child: FakeElement, before: FakeElement | null): FakeElement {
    if (!before) return this.appendChild(child);
    child.parentNode = this;
    this.children.splice(this.children.indexOf(before), 0, child);
    return child;
  }

  removeChild(child: FakeElement): FakeElement {
    this.children.splice(this.children.indexOf(child), 1);
    child.parentNode = null;
    return child;
  }

  setAttribute(name: string, value: unknown): void {
    // The DOM stringifies attribute values; d3 passes numbers through.
    this.attributes.set(name, String(value));
  }

  querySelector(): null {
    return null;
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The element as SVG text in the layout sceneToSvg uses (xmlns first on the root svg). */
export function serialize(el: FakeElement, depth = 0): string {
  const pad = '  '.repeat(depth);
  const attrs = [...(depth === 0 ? [['xmlns', el.namespaceURI] as const] : []), ...el.attributes].map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const inner = esc(el.textContent) + (el.children.length ? `\n${el.children.map((c) => serialize(c, depth + 1)).join('\n')}\n${pad}` : '');
  return `${pad}<${el.tagName}${attrs}>${inner}</${el.tagName}>`;
}
