import { SAMPLES, type SampleId } from './samples';
import { crm } from './crm.svelte';
import { rules } from './rules.svelte';
import { segments } from './segments.svelte';
import { privacy } from './privacy.svelte';
import { workspace } from './workspace.svelte';

/**
 * Share by link: a built-in sample's id, the room to open and each room's analysis settings
 * (table and column names, thresholds, k, seeds), encoded in the URL fragment. The fragment never
 * reaches a server (browsers do not send it), and the link never holds data: uploaded files stay on
 * the analyst's device, so for them only the settings travel and the recipient loads the same files.
 */

/** What a share link carries. */
export interface ShareState {
  v: 1;
  /** The built-in sample to open, or null when the session's data was uploaded. */
  sample: SampleId | null;
  /** Room to open. */
  room: string;
  /** Per room: setting name → value (strings, numbers, booleans, lists of strings). */
  settings: Record<string, Record<string, SettingValue>>;
}

type SettingValue = string | number | boolean | string[];

/** The fragment key: `#share=<base64url JSON>`. */
export const SHARE_KEY = 'share';
/** Longest fragment accepted (settings are small; anything longer is not ours). */
const MAX_FRAGMENT = 16_000;

/** A room whose settings a share link can carry. */
export interface Shareable {
  /** The state object whose fields are shared. */
  state: Record<string, unknown>;
  /** Called with the shared table first, so the room loads its columns before the other fields are set. */
  selectTable?: (table: string) => Promise<void>;
  fields: readonly string[];
}

// Only these fields travel: settings the analyst chose, never results or rows.
const SHAREABLE: Record<string, Shareable> = {
  segment: {
    state: segments as unknown as Record<string, unknown>,
    selectTable: (t) => segments.selectTable(t),
    fields: ['chosen', 'scaling', 'algorithm', 'k', 'nInit', 'maxIter', 'seed', 'batchSize', 'eps', 'minSamples', 'columnName'],
  },
  rules: {
    state: rules as unknown as Record<string, unknown>,
    selectTable: (t) => rules.selectTable(t),
    fields: ['form', 'basket', 'item', 'wideItems', 'supportUnit', 'minSupport', 'maxLength', 'minConfidence', 'minLift'],
  },
  crm: {
    state: crm as unknown as Record<string, unknown>,
    selectTable: (t) => crm.choose(t),
    fields: ['customer', 'date', 'amount', 'orderId', 'calibrationEnd', 'horizonWeeks', 'monthlyDiscount'],
  },
  privacy: {
    state: privacy as unknown as Record<string, unknown>,
    selectTable: (t) => privacy.choose(t),
    fields: ['target', 'targetName'],
  },
};

/**
 * Lets another room's settings travel in share links (e.g. the cleaning recipe's steps): `fields`
 * are the names of the state's fields to copy, never its results or rows.
 */
export function registerShareable(room: string, shareable: Shareable): void {
  SHAREABLE[room] = shareable;
}

const isSetting = (v: unknown): v is SettingValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** The settings of every room that has chosen a table. */
export function currentSettings(): ShareState['settings'] {
  const out: ShareState['settings'] = {};
  for (const [room, s] of Object.entries(SHAREABLE)) {
    const table = s.state.table;
    if (typeof table !== 'string' || !table) continue;
    const values: Record<string, SettingValue> = { table };
    for (const f of s.fields) {
      const v = s.state[f];
      if (isSetting(v)) values[f] = Array.isArray(v) ? [...v] : v;
    }
    out[room] = values;
  }
  return out;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The link for `state`, on `base` (the app's URL without a fragment). */
export function shareLink(base: string, state: ShareState): string {
  return `${base.split('#')[0]}#${SHARE_KEY}=${toBase64Url(JSON.stringify(state))}`;
}

/**
 * The share state in a URL fragment, or null when there is none or it is not valid: an unknown
 * sample, malformed JSON or values of the wrong kind are dropped rather than applied.
 */
export function readShareLink(hash: string): ShareState | null {
  const m = hash.match(new RegExp(`^#${SHARE_KEY}=([A-Za-z0-9_-]+)$`));
  if (!m || m[1].length > MAX_FRAGMENT) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(fromBase64Url(m[1]));
  } catch {
    return null;
  }
  const o = raw as Partial<ShareState> | null;
  if (!o || o.v !== 1 || typeof o.room !== 'string') return null;
  const sample = o.sample === null || o.sample === undefined ? null : SAMPLES.find((s) => s.id === o.sample)?.id;
  if (sample === undefined) return null;
  const settings: ShareState['settings'] = {};
  for (const [room, values] of Object.entries(o.settings ?? {})) {
    if (!SHAREABLE[room] || !values || typeof values !== 'object') continue;
    settings[room] = Object.fromEntries(Object.entries(values).filter(([, v]) => isSetting(v)));
  }
  return { v: 1, sample, room: o.room, settings };
}

/**
 * Applies shared settings to the rooms whose table exists in the workspace (`tables`). Returns the
 * rooms that were set up, and those skipped because their table is missing (uploaded data the
 * recipient has not loaded).
 */
export async function applyShareLink(state: ShareState, tables: readonly string[]): Promise<{ applied: string[]; missing: string[] }> {
  const applied: string[] = [];
  const missing: string[] = [];
  for (const [room, values] of Object.entries(state.settings)) {
    const s = SHAREABLE[room];
    const table = values.table;
    if (!s || typeof table !== 'string') continue;
    if (!tables.includes(table)) {
      missing.push(`${room} (table ${table})`);
      continue;
    }
    await s.selectTable?.(table);
    for (const f of s.fields) {
      const v = values[f];
      // A value replaces a field only when it is of the same kind (a number for a number…).
      if (v !== undefined && typeof v === typeof s.state[f] && Array.isArray(v) === Array.isArray(s.state[f])) s.state[f] = v;
    }
    applied.push(room);
  }
  return { applied, missing };
}

/**
 * A link to this session's sample and settings, opening `room`, with a note when the data was
 * uploaded (the link cannot carry it, by design).
 */
export function makeShareLink(room: string): { link: string; note: string | null } {
  const { samples, uploads } = workspace.origin;
  const sample = uploads ? null : (samples[samples.length - 1] ?? null);
  const settings = currentSettings();
  let link = shareLink(location.href, { v: 1, sample, room, settings });
  // A link the reader would refuse (too long) loses its largest room settings (a long recipe) first.
  const left: string[] = [];
  while (link.length - link.indexOf('#') - SHARE_KEY.length - 2 > MAX_FRAGMENT && Object.keys(settings).length) {
    const largest = Object.keys(settings).sort((a, b) => JSON.stringify(settings[b]).length - JSON.stringify(settings[a]).length)[0];
    delete settings[largest];
    left.push(largest);
    link = shareLink(location.href, { v: 1, sample, room, settings });
  }
  const notes = [
    uploads
      ? 'This session holds uploaded files. A link never carries data: it shares the settings only, and whoever opens it must load the same files (with the same table names) for them to apply.'
      : sample === null
        ? 'No built-in sample is open: the link shares the settings only.'
        : null,
    left.length ? `The settings of ${left.join(', ')} are too long for a link and were left out (export the recipe as JSON to pass it on).` : null,
  ].filter((n) => n !== null);
  return { link, note: notes.length ? notes.join(' ') : null };
}

/**
 * Opens a shared link at startup (after the sample loaded): applies the settings, says what could
 * not be applied, and returns the room to show.
 */
export async function openSharedLink(state: ShareState, rooms: readonly string[]): Promise<string | null> {
  const { applied, missing } = await applyShareLink(state, workspace.tables.map((t) => t.name));
  workspace.notice = `Opened a shared link: ${applied.length ? `settings of ${applied.join(', ')} applied` : 'no settings applied'}.${missing.length ? ` Not applied, their tables are not loaded here: ${missing.join(', ')}. Load the same files, then open the link again.` : ''}`;
  return rooms.includes(state.room) ? state.room : null;
}
