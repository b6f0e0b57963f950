/**
 * The text form of a map-values step's mapping, one `old -> new` per line, as the step form
 * edits it. A value is written bare, or as a JSON string when bare text would lose it: spaces at
 * its ends ('North ' is a spelling to map, not 'North'), an empty value, a value holding `->`, or
 * one starting with a quote. Nothing after `->` means missing (NULL).
 */
import type { MapValuesStep } from './types';

type Mapping = MapValuesStep['mapping'];

function valueText(v: string): string {
  return v === '' || v !== v.trim() || v.includes('->') || v.startsWith('"') ? JSON.stringify(v) : v;
}

/** The mapping as the form's text. */
export function mappingToText(mapping: Mapping): string {
  return mapping.map((m) => `${valueText(m.from)} -> ${m.to === null ? '' : valueText(m.to)}`).join('\n');
}

/** A leading JSON string of `s` (after blanks) and the rest, or null when `s` does not start with one. */
function quoted(s: string): { value: string; rest: string } | null {
  const start = s.length - s.trimStart().length;
  if (s[start] !== '"') return null;
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') {
      try {
        return { value: JSON.parse(s.slice(start, i + 1)) as string, rest: s.slice(i + 1) };
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The mapping of the form's text: lines without `->` are skipped. */
export function mappingFromText(text: string): Mapping {
  const out: { from: string; to: string | null }[] = [];
  for (const line of text.split('\n')) {
    let from: string;
    let rest: string;
    const q = quoted(line);
    if (q && q.rest.trimStart().startsWith('->')) {
      from = q.value;
      rest = q.rest.trimStart().slice(2);
    } else {
      const at = line.indexOf('->');
      if (at < 0) continue;
      from = line.slice(0, at).trim();
      rest = line.slice(at + 2);
    }
    const qt = quoted(rest);
    const bare = rest.trim();
    out.push({ from, to: qt && qt.rest.trim() === '' ? qt.value : bare === '' ? null : bare });
  }
  return out;
}
