/**
 * An attachment that sets inline styles through the CSSOM (element.style), which a strict
 * Content-Security-Policy (style-src 'self') allows, unlike style="" attributes.
 */
export function css(props: Record<string, string | number | null | undefined>) {
  return (el: HTMLElement | SVGElement) => {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined) el.style.removeProperty(k);
      else el.style.setProperty(k, String(v));
    }
  };
}
