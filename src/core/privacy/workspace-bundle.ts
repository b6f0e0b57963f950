import { AppError } from '../errors';
import { decryptEnvelope, encryptEnvelope, type EnvelopeOptions } from './crypto-envelope';

/**
 * A workspace saved as one file: several named files (tables as Parquet or Arrow IPC bytes,
 * `recipe.json`, `settings.json` with e.g. the pseudonymization secret) packed into one container
 * and encrypted as a single envelope (crypto-envelope.ts), so file names, sizes and contents are
 * all inside the ciphertext.
 *
 * Container (big-endian, before encryption):
 * ```
 * 'CLWB'  version u8 (1)  count u32  then per file: nameLen u16  name (UTF-8)  size u32  bytes
 * ```
 * Suggested names: `tables/<table>.parquet` (or `.arrow`), `recipe.json`, `settings.json`.
 */

/** One file inside a workspace bundle. */
export interface WorkspaceFile {
  /** Path-like name, unique within the bundle, 1–1024 UTF-8 bytes. */
  name: string;
  bytes: Uint8Array;
}

const MAGIC = [0x43, 0x4c, 0x57, 0x42]; // 'CLWB'
const VERSION = 1;
const MAX_FILE_BYTES = 0xffffffff;

/** Packs files into one container (no compression: Parquet is already compressed). */
export function packWorkspace(files: readonly WorkspaceFile[]): Uint8Array {
  const enc = new TextEncoder();
  const seen = new Set<string>();
  const names = files.map((f) => {
    const name = enc.encode(f.name);
    if (name.length === 0 || name.length > 1024) throw new AppError('invalid-argument', `a workspace file name must be 1–1024 bytes long: "${f.name.slice(0, 40)}".`);
    if (seen.has(f.name)) throw new AppError('invalid-argument', `the workspace has two files named "${f.name}": give each a distinct name.`);
    if (f.bytes.length > MAX_FILE_BYTES) throw new AppError('too-large', `"${f.name}" is over 4 GiB, more than a workspace file can hold.`);
    seen.add(f.name);
    return name;
  });
  const total = 9 + files.reduce((sum, f, i) => sum + 2 + names[i].length + 4 + f.bytes.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  view.setUint32(5, files.length);
  let at = 9;
  files.forEach((f, i) => {
    view.setUint16(at, names[i].length);
    out.set(names[i], at + 2);
    at += 2 + names[i].length;
    view.setUint32(at, f.bytes.length);
    out.set(f.bytes, at + 4);
    at += 4 + f.bytes.length;
  });
  return out;
}

/** Unpacks a container; the files' bytes are views into `bytes` (no copy). */
export function unpackWorkspace(bytes: Uint8Array): WorkspaceFile[] {
  const bad = (why: string) => new AppError('unsupported-format', `this workspace cannot be read (${why}): it was written by a newer or different program.`);
  if (bytes.length < 9 || !MAGIC.every((m, i) => bytes[i] === m)) throw bad('no workspace signature');
  if (bytes[4] !== VERSION) throw bad(`format version ${bytes[4]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder('utf-8', { fatal: true });
  const count = view.getUint32(5);
  const files: WorkspaceFile[] = [];
  let at = 9;
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.length) throw bad('it ends early');
    const nameLen = view.getUint16(at);
    if (at + 2 + nameLen + 4 > bytes.length) throw bad('it ends early');
    const name = dec.decode(bytes.subarray(at + 2, at + 2 + nameLen));
    at += 2 + nameLen;
    const size = view.getUint32(at);
    if (at + 4 + size > bytes.length) throw bad(`"${name}" ends early`);
    files.push({ name, bytes: bytes.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  if (at !== bytes.length) throw bad('extra bytes after the last file');
  return files;
}

/** Packs and encrypts a workspace under a passphrase (see {@link encryptEnvelope} for options). */
export async function sealWorkspace(files: readonly WorkspaceFile[], passphrase: string, options: EnvelopeOptions = {}): Promise<Uint8Array> {
  return encryptEnvelope(packWorkspace(files), passphrase, options);
}

/**
 * Decrypts and unpacks a workspace. Throws `wrong-passphrase`, `tampered` or
 * `unsupported-format` (see {@link decryptEnvelope}).
 */
export async function openWorkspace(bytes: Uint8Array, passphrase: string): Promise<WorkspaceFile[]> {
  return unpackWorkspace(await decryptEnvelope(bytes, passphrase));
}

/** A JSON file for a workspace (`recipe.json`, `settings.json`). */
export function jsonWorkspaceFile(name: string, value: unknown): WorkspaceFile {
  return { name, bytes: new TextEncoder().encode(JSON.stringify(value)) };
}

/** Parses the JSON file `name` of an unpacked workspace; throws `not-found` when it is absent. */
export function readWorkspaceJson<T>(files: readonly WorkspaceFile[], name: string): T {
  const file = files.find((f) => f.name === name);
  if (!file) throw new AppError('not-found', `the workspace has no "${name}": it may have been saved by an older version.`);
  return JSON.parse(new TextDecoder().decode(file.bytes)) as T;
}
