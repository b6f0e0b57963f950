import { AppError } from '../../core/errors';

/**
 * Saved workspaces in the browser's origin-private file system (OPFS): one folder per workspace
 * under `workspaces/`, holding one complete file per save, `<generation>.clw`.
 *
 * A save never overwrites the previous one in place: the bytes go to `<generation>.partial`, and
 * only once that file is written and closed is it renamed to `<generation>.clw` and the older
 * generations removed. A save that fails part-way (quota exceeded, tab closed) leaves the last
 * good `.clw` as it was, and listing and reading ignore `.partial` files.
 */

/** One saved workspace as the list shows it (nothing secret: names, sizes and dates only). */
export interface SavedWorkspaceInfo {
  name: string;
  /** Size of the saved file in bytes. */
  bytes: number;
  /** When the save finished (the file's last-modified time), ms since the epoch. */
  savedAt: number;
  /** True when the file is a passphrase envelope (starts with `CLTE`). */
  encrypted: boolean;
}

/** What the browser reports about this origin's storage (navigator.storage.estimate). */
export interface StorageFigures {
  usage: number;
  quota: number;
}

const ROOT = 'workspaces';
const DONE = '.clw';
const PARTIAL = '.partial';
const ENVELOPE_MAGIC = [0x43, 0x4c, 0x54, 0x45]; // 'CLTE', see core/privacy/crypto-envelope.ts

/** `move()` is in Chromium and Firefox but not yet in TypeScript's DOM types. */
type MovableHandle = FileSystemFileHandle & { move(name: string): Promise<void> };

/** True when this browser offers the origin-private file system. */
export function opfsAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

/** Bytes as the analyst reads them (`1.4 MB`, decimal units as browsers' settings pages use). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Checks a workspace name and returns the folder name it is stored under. */
function folderName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 80) throw new AppError('invalid-argument', `a workspace name must be 1–80 characters long, not ${trimmed.length}.`);
  return encodeURIComponent(trimmed);
}

async function workspacesRoot(): Promise<FileSystemDirectoryHandle> {
  if (!opfsAvailable()) throw new AppError('not-found', 'this browser has no origin-private file system, so workspaces cannot be saved here: export the workspace as a file instead.');
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(ROOT, { create: true });
}

async function entries(dir: FileSystemDirectoryHandle): Promise<[string, FileSystemHandle][]> {
  const out: [string, FileSystemHandle][] = [];
  for await (const entry of dir.entries()) out.push(entry);
  return out;
}

/** The newest complete save in a workspace folder, or null. */
async function latest(dir: FileSystemDirectoryHandle): Promise<{ name: string; handle: FileSystemFileHandle } | null> {
  let best: { name: string; handle: FileSystemFileHandle; gen: number } | null = null;
  for (const [name, handle] of await entries(dir)) {
    if (handle.kind !== 'file' || !name.endsWith(DONE)) continue;
    const gen = Number(name.slice(0, -DONE.length));
    if (Number.isFinite(gen) && (!best || gen > best.gen)) best = { name, handle: handle as FileSystemFileHandle, gen };
  }
  return best;
}

/** What navigator.storage.estimate() reports, or null where it is missing. */
export async function storageFigures(): Promise<StorageFigures | null> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.estimate !== 'function') return null;
  const e = await navigator.storage.estimate();
  return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
}

/**
 * Asks the browser not to evict this origin's storage under pressure (navigator.storage.persist).
 * Returns 'granted', 'denied' (the browser decides: Chromium grants it to installed or
 * often-used sites) or 'unsupported'.
 */
export async function requestPersistentStorage(): Promise<'granted' | 'denied' | 'unsupported'> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.persist !== 'function') return 'unsupported';
  if (await navigator.storage.persisted()) return 'granted';
  return (await navigator.storage.persist()) ? 'granted' : 'denied';
}

function isQuotaError(err: unknown): boolean {
  return err instanceof DOMException && (err.name === 'QuotaExceededError' || err.code === 22);
}

/** The analyst's message for a save that ran out of space, with the sizes involved. */
async function quotaError(name: string, needed: number, cause: unknown): Promise<AppError> {
  const figures = await storageFigures().catch(() => null);
  const room = figures
    ? ` This site already uses ${formatBytes(figures.usage)} of the ${formatBytes(figures.quota)} the browser allows it (${formatBytes(Math.max(0, figures.quota - figures.usage))} free).`
    : '';
  return new AppError(
    'too-large',
    `Not enough browser storage to save "${name}": the workspace needs ${formatBytes(needed)}.${room} The previous save of "${name}" is unchanged. Delete saved workspaces you no longer need, drop large tables, or export the workspace as a file instead.`,
    { cause },
  );
}

/**
 * Writes `bytes` as the new save of workspace `name` (see the module comment for why nothing is
 * overwritten). Throws `too-large` with the sizes involved when the browser's quota is exceeded;
 * the previous save stays readable.
 */
export async function writeWorkspaceFile(name: string, bytes: Uint8Array): Promise<SavedWorkspaceInfo> {
  const dir = await (await workspacesRoot()).getDirectoryHandle(folderName(name), { create: true });
  const previous = await latest(dir);
  const gen = Math.max(Date.now(), previous ? Number(previous.name.slice(0, -DONE.length)) + 1 : 0);
  const partialName = `${gen}${PARTIAL}`;
  const partial = await dir.getFileHandle(partialName, { create: true });
  try {
    const writable = await partial.createWritable();
    try {
      await writable.write(bytes as Uint8Array<ArrayBuffer>);
      await writable.close();
    } catch (err) {
      await writable.abort().catch(() => undefined);
      throw err;
    }
    await (partial as MovableHandle).move(`${gen}${DONE}`);
  } catch (err) {
    await removeSoon(dir, partialName);
    if (isQuotaError(err)) throw await quotaError(name.trim(), bytes.length, err);
    throw new AppError('query-failed', `"${name.trim()}" could not be saved in the browser's storage (${err instanceof Error ? err.message : String(err)}); the previous save is unchanged.`, { cause: err });
  }
  // Only now is the new save complete: older generations and stray partial files can go.
  for (const [entry] of await entries(dir)) {
    if (entry !== `${gen}${DONE}`) await dir.removeEntry(entry).catch(() => undefined);
  }
  const file = await (await dir.getFileHandle(`${gen}${DONE}`)).getFile();
  return { name: name.trim(), bytes: file.size, savedAt: file.lastModified, encrypted: bytes.length >= 4 && ENVELOPE_MAGIC.every((m, i) => bytes[i] === m) };
}

/**
 * Removes an entry whose writable was just aborted. Chromium releases the file's write lock a
 * moment after abort() resolves, and removeEntry fails while it is held, so try a few times
 * (about 0.6 s in all) before leaving the stray `.partial` for the next successful save to clear.
 */
async function removeSoon(dir: FileSystemDirectoryHandle, name: string): Promise<void> {
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      await dir.removeEntry(name);
      return;
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotFoundError') return;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

/** Every saved workspace with a complete save, newest first. */
export async function listWorkspaceFiles(): Promise<SavedWorkspaceInfo[]> {
  const out: SavedWorkspaceInfo[] = [];
  for (const [folder, handle] of await entries(await workspacesRoot())) {
    if (handle.kind !== 'directory') continue;
    const save = await latest(handle as FileSystemDirectoryHandle);
    if (!save) continue;
    const file = await save.handle.getFile();
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    out.push({ name: decodeURIComponent(folder), bytes: file.size, savedAt: file.lastModified, encrypted: ENVELOPE_MAGIC.every((m, i) => head[i] === m) });
  }
  return out.sort((a, b) => b.savedAt - a.savedAt);
}

/** The bytes of the newest complete save of `name`; throws `not-found` when there is none. */
export async function readWorkspaceFile(name: string): Promise<Uint8Array> {
  const root = await workspacesRoot();
  const dir = await root.getDirectoryHandle(folderName(name)).catch(() => null);
  const save = dir ? await latest(dir) : null;
  if (!save) throw new AppError('not-found', `there is no saved workspace called "${name.trim()}": pick one from the list.`);
  return new Uint8Array(await (await save.handle.getFile()).arrayBuffer());
}

/** Deletes every save of workspace `name`. */
export async function deleteWorkspaceFile(name: string): Promise<void> {
  await (await workspacesRoot()).removeEntry(folderName(name), { recursive: true });
}
