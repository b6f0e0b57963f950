/**
 * The statistics a step was fitted with, in words for the step's report: the fill value, the
 * outlier fences, the scaling parameters, the bin edges, the categories and the codes of an
 * encoding. They are frozen into the recipe (and its exported .sql), so the analyst sees what
 * next month's file will be cleaned with.
 */
import type { RecipeStep } from './types';

/** Categories or codes listed before "… and N more". */
const LISTED = 20;

function num(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'none';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

function list(items: string[]): string {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${shown} … and ${items.length - LISTED} more` : shown;
}

const quote = (v: string) => `"${v}"`;

/** The fitted statistics of `step` in words, or null when it has none. */
export function fittedText(step: RecipeStep): string | null {
  switch (step.kind) {
    case 'missing': {
      const f = step.fitted;
      if (!f) return null;
      return `fill value ${f.value === null ? 'none (the column has no values)' : typeof f.value === 'number' ? num(f.value) : quote(String(f.value))} (${step.strategy})`;
    }
    case 'outliers': {
      const f = step.fitted;
      return f ? `kept range ${num(f.low)} to ${num(f.high)}` : null;
    }
    case 'scale': {
      const f = step.fitted;
      if (!f) return null;
      return step.method === 'minmax' ? `minimum ${num(f.center)}, range ${num(f.scale)}` : `mean ${num(f.center)}, standard deviation ${num(f.scale)}`;
    }
    case 'bin': {
      const f = step.fitted;
      return f ? `edges ${f.edges.map(num).join(', ')}` : null;
    }
    case 'one-hot': {
      const f = step.fitted;
      return f ? `categories ${list(f.categories.map(quote))}` : null;
    }
    case 'encode': {
      const f = step.fitted;
      return f ? `codes ${list(f.mapping.map((m) => `${quote(m.value)} = ${m.code}`))}` : null;
    }
    default:
      return null;
  }
}
