/**
 * Exports a drawn chart: as a standalone SVG file (the styles the page's CSS gave it copied onto
 * its elements, so it looks the same outside the app), as a PNG rendered from that SVG through an
 * image and a canvas (a blob: URL, no network, allowed by the CSP's img-src), and its data as CSV.
 */

const STYLED = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'fill-opacity', 'font-size', 'font-family', 'font-weight', 'text-anchor', 'dominant-baseline'];

/** A self-contained copy of `svg` as text: computed styles inlined, interaction layers dropped. */
export function svgExportText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.querySelectorAll('.brush').forEach((n) => n.remove());
  const source = [svg, ...svg.querySelectorAll('*')].filter((n) => !n.closest('.brush'));
  const target = [clone, ...clone.querySelectorAll('*')];
  source.forEach((el, i) => {
    const style = getComputedStyle(el);
    const out = target[i] as SVGElement;
    if (!out || out.tagName !== el.tagName) return;
    for (const p of STYLED) {
      const v = style.getPropertyValue(p);
      if (v && !out.hasAttribute(p)) out.setAttribute(p, v);
    }
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

/** Renders SVG text to a PNG blob at `scale` × its size, on a white background. */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The chart could not be rendered as PNG.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Rows as CSV (RFC 4180), columns in the order of the first row's keys. */
export function rowsToCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  return [keys.map(cell).join(','), ...rows.map((r) => keys.map((k) => cell(r[k])).join(','))].join('\n') + '\n';
}

/** A file name from a chart's name: "Histogram of amount" → "histogram-of-amount". */
export function fileStem(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
}

/** A rows × columns table as long rows for CSV: one row per non-empty cell, with its row count. */
export function crossTableRows(
  t: { rows: readonly string[]; columns: readonly string[]; values: readonly (readonly number[])[]; counts: readonly (readonly number[])[] },
  rowName: string,
  columnName: string,
  valueName: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  t.rows.forEach((r, i) =>
    t.columns.forEach((c, j) => {
      if (t.counts[i][j] > 0) out.push({ [rowName]: r, [columnName]: c, [valueName]: t.values[i][j], rows: t.counts[i][j] });
    }),
  );
  return out;
}
