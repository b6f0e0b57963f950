import { AppError } from '../errors';

/**
 * Passphrase encryption of one file, WebCrypto only (globalThis.crypto.subtle: browsers, Node ≥ 20).
 *
 * Key: PBKDF2-HMAC-SHA-256 (NIST SP 800-132) of the NFC-normalised passphrase with a random 16-byte
 * salt and ≥ 600,000 iterations (OWASP Password Storage Cheat Sheet, 2023), giving 32 bytes that
 * are expanded with HKDF-SHA-256 (RFC 5869) into the AES-GCM-256 key and a 16-byte passphrase
 * verifier. (Asking PBKDF2 for more than 32 bytes would run all iterations twice.)
 * Cipher: AES-256-GCM (NIST SP 800-38D), a fresh random 12-byte IV per file, 128-bit tag, with the
 * whole header as additional authenticated data.
 *
 * Envelope (big-endian):
 * ```
 * 'CLTE'  version u8 (1)  kdf u8 (1 = PBKDF2-SHA-256)  iterations u32
 * saltLen u8  salt  ivLen u8  iv  verifier[16]  headerDigest[16]  ciphertext‖tag
 * ```
 * `headerDigest` is the first 16 bytes of SHA-256 over everything before it: a flipped header,
 * salt or IV byte is reported as `tampered` rather than as a wrong passphrase. The verifier tells a
 * wrong passphrase (`wrong-passphrase`) from a damaged body (`tampered`, from the GCM tag). Neither
 * weakens the cipher: checking a guess still costs a full PBKDF2 run, as it would with the tag.
 */

/** Iterations written into new envelopes: OWASP's 2023 figure for PBKDF2-HMAC-SHA-256. */
export const PBKDF2_ITERATIONS = 600_000;
/** Largest iteration count accepted when reading (a guard against a header that would hang the tab). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** Salt length in bytes (NIST SP 800-132 asks for at least 16). */
export const SALT_BYTES = 16;
/** AES-GCM IV length in bytes (the 96-bit IV of NIST SP 800-38D §8.2.2). */
export const IV_BYTES = 12;

const MAGIC = [0x43, 0x4c, 0x54, 0x45]; // 'CLTE'
const VERSION = 1;
const KDF_PBKDF2_SHA256 = 1;
const VERIFIER_BYTES = 16;
const DIGEST_BYTES = 16;
const TAG_BYTES = 16;

/** What an envelope's header records (nothing secret). */
export interface EnvelopeHeader {
  version: number;
  kdf: 'PBKDF2-SHA-256';
  iterations: number;
  salt: Uint8Array;
  iv: Uint8Array;
  /** Byte offset where the ciphertext starts. */
  bodyOffset: number;
}

/** Options for {@link encryptEnvelope}. */
export interface EnvelopeOptions {
  /** PBKDF2 iterations, at least {@link PBKDF2_ITERATIONS}. */
  iterations?: number;
  /** Reuse a workspace's salt within a session so the cached key is reused; random when absent. */
  salt?: Uint8Array;
}

interface DerivedKey {
  key: CryptoKey;
  verifier: Uint8Array;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const enc = new TextEncoder();
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** WebCrypto takes ArrayBuffer-backed views only; copy only when the view is over something else. */
const own = (u: Uint8Array): Uint8Array<ArrayBuffer> => (u.buffer instanceof ArrayBuffer ? (u as Uint8Array<ArrayBuffer>) : new Uint8Array(u));

const keyCache = new Map<string, Promise<DerivedKey>>();
const KEY_CACHE_SIZE = 8;

/** A fresh random salt for a new workspace. */
export function newSalt(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

/** Forgets every cached derived key (call when the analyst locks or closes a workspace). */
export function forgetDerivedKeys(): void {
  keyCache.clear();
}

async function deriveUncached(passphrase: string, salt: Uint8Array, iterations: number): Promise<DerivedKey> {
  const pass = await subtle().importKey('raw', enc.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const master = new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: own(salt), iterations }, pass, 256));
  const hkdf = await subtle().importKey('raw', master, 'HKDF', false, ['deriveKey', 'deriveBits']);
  master.fill(0);
  const info = (label: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc.encode(`clientele-envelope-v1 ${label}`) });
  const key = await subtle().deriveKey(info('aes-256-gcm'), hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const verifier = new Uint8Array(await subtle().deriveBits(info('verifier'), hkdf, VERIFIER_BYTES * 8));
  return { key, verifier };
}

/**
 * The AES key and verifier for (passphrase, salt, iterations), derived once per session: PBKDF2 at
 * 600k iterations takes ~0.3–1 s. The cache is keyed by a SHA-256 of the passphrase, not the text.
 */
async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<DerivedKey> {
  const id = `${iterations}:${hex(salt)}:${hex(new Uint8Array(await subtle().digest('SHA-256', enc.encode(passphrase.normalize('NFC')))))}`;
  let entry = keyCache.get(id);
  if (!entry) {
    entry = deriveUncached(passphrase, salt, iterations);
    keyCache.set(id, entry);
    entry.catch(() => keyCache.delete(id));
    if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  }
  return entry;
}

async function headerDigest(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', own(bytes))).subarray(0, DIGEST_BYTES);
}

/**
 * Encrypts `plaintext` under `passphrase` into a self-describing envelope. Throws
 * `invalid-argument` for an empty passphrase, fewer than 600,000 iterations, or a salt that is
 * not 16 bytes.
 */
export async function encryptEnvelope(plaintext: Uint8Array, passphrase: string, options: EnvelopeOptions = {}): Promise<Uint8Array> {
  if (passphrase.length === 0) throw new AppError('invalid-argument', 'type a passphrase to encrypt the workspace with.');
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new AppError('invalid-argument', `PBKDF2 iterations must be from ${PBKDF2_ITERATIONS} to ${MAX_PBKDF2_ITERATIONS}, not ${iterations}.`);
  }
  const salt = options.salt ?? newSalt();
  if (salt.length !== SALT_BYTES) throw new AppError('invalid-argument', `the salt must be ${SALT_BYTES} bytes, not ${salt.length}.`);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const { key, verifier } = await deriveKey(passphrase, salt, iterations);

  const fixedLen = 4 + 1 + 1 + 4 + 1 + SALT_BYTES + 1 + IV_BYTES + VERIFIER_BYTES;
  const header = new Uint8Array(fixedLen + DIGEST_BYTES);
  const view = new DataView(header.buffer);
  header.set(MAGIC, 0);
  header[4] = VERSION;
  header[5] = KDF_PBKDF2_SHA256;
  view.setUint32(6, iterations);
  header[10] = SALT_BYTES;
  header.set(salt, 11);
  header[11 + SALT_BYTES] = IV_BYTES;
  header.set(iv, 12 + SALT_BYTES);
  header.set(verifier, 12 + SALT_BYTES + IV_BYTES);
  header.set(await headerDigest(header.subarray(0, fixedLen)), fixedLen);

  const body = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: header, tagLength: 128 }, key, own(plaintext)));
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

const tampered = (what: string, cause?: unknown) =>
  new AppError('tampered', `the encrypted file is damaged or was changed (${what}); nothing was decrypted. Use another copy of the file.`, { cause });

/**
 * Reads and checks an envelope's header. Throws `unsupported-format` when the bytes are not a
 * Clientele envelope (or a newer version), `tampered` when a header byte was changed.
 */
export async function readEnvelopeHeader(bytes: Uint8Array): Promise<EnvelopeHeader> {
  const minLen = 12 + VERIFIER_BYTES + DIGEST_BYTES + TAG_BYTES;
  if (bytes.length < minLen) throw new AppError('unsupported-format', `this is not a Clientele encrypted file (only ${bytes.length} bytes).`);
  const saltLen = bytes[10];
  const ivAt = 11 + saltLen;
  const ivLen = bytes[ivAt];
  const verifierAt = ivAt + 1 + ivLen;
  const digestAt = verifierAt + VERIFIER_BYTES;
  const bodyOffset = digestAt + DIGEST_BYTES;
  const magicOk = MAGIC.every((m, i) => bytes[i] === m);
  const digestOk = (b: Uint8Array) => headerDigest(b.subarray(0, digestAt)).then((d) => d.every((x, i) => x === bytes[digestAt + i]));
  if (bytes.length < bodyOffset + TAG_BYTES) {
    throw magicOk ? tampered('it is cut short') : new AppError('unsupported-format', 'this is not a Clientele encrypted file.');
  }
  if (!magicOk) {
    // One of our files with a flipped magic byte still matches its header digest once repaired.
    const repaired = bytes.slice(0, digestAt);
    repaired.set(MAGIC, 0);
    if (await digestOk(repaired)) throw tampered('its first bytes');
    throw new AppError('unsupported-format', 'this is not a Clientele encrypted file: it does not start with the Clientele signature.');
  }
  if (!(await digestOk(bytes))) throw tampered('its header, salt or IV');
  const iterations = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(6);
  if (bytes[4] !== VERSION || bytes[5] !== KDF_PBKDF2_SHA256 || saltLen !== SALT_BYTES || ivLen !== IV_BYTES) {
    throw new AppError('unsupported-format', `this encrypted file uses format version ${bytes[4]}, which this version of Clientele cannot read: update Clientele.`);
  }
  if (iterations < PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new AppError('unsupported-format', `this encrypted file asks for ${iterations} PBKDF2 iterations, outside the ${PBKDF2_ITERATIONS}–${MAX_PBKDF2_ITERATIONS} Clientele accepts.`);
  }
  return { version: bytes[4], kdf: 'PBKDF2-SHA-256', iterations, salt: bytes.slice(11, 11 + saltLen), iv: bytes.slice(ivAt + 1, ivAt + 1 + ivLen), bodyOffset };
}

/**
 * Decrypts an envelope. Throws `wrong-passphrase` when the passphrase does not match, `tampered`
 * when any byte of the file was changed (header digest or GCM tag), `unsupported-format` for
 * something that is not an envelope.
 */
export async function decryptEnvelope(bytes: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const h = await readEnvelopeHeader(bytes);
  const { key, verifier } = await deriveKey(passphrase, h.salt, h.iterations);
  const stored = bytes.subarray(h.bodyOffset - DIGEST_BYTES - VERIFIER_BYTES, h.bodyOffset - DIGEST_BYTES);
  let diff = 0;
  for (let i = 0; i < VERIFIER_BYTES; i++) diff |= stored[i] ^ verifier[i];
  if (diff !== 0) {
    throw new AppError('wrong-passphrase', 'the passphrase does not match the one this workspace was encrypted with: check it (capitals, keyboard layout) and try again.');
  }
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: own(h.iv), additionalData: own(bytes.subarray(0, h.bodyOffset)), tagLength: 128 },
      key,
      own(bytes.subarray(h.bodyOffset)),
    );
    return new Uint8Array(plain);
  } catch (err) {
    throw tampered('its contents do not match their authentication tag', err);
  }
}
