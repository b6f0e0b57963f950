import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../../../src/core/errors';
import {
  decryptEnvelope,
  encryptEnvelope,
  forgetDerivedKeys,
  IV_BYTES,
  PBKDF2_ITERATIONS,
  readEnvelopeHeader,
  SALT_BYTES,
} from '../../../src/core/privacy/crypto-envelope';
import { jsonWorkspaceFile, openWorkspace, packWorkspace, readWorkspaceJson, sealWorkspace, unpackWorkspace } from '../../../src/core/privacy/workspace-bundle';

// One salt for the whole file, so PBKDF2 (600k iterations, ~0.3–1 s) runs once per passphrase.
const salt = new Uint8Array(SALT_BYTES).map((_, i) => 200 - i);
const passphrase = 'correct horse battery staple';
const CANARY_EMAIL = 'zelda.quartermain-canary@example.org';
const CANARY_NAME = 'Zelda Quartermain';
const plaintext = new TextEncoder().encode(
  `customer_id,name,email\n1,${CANARY_NAME},${CANARY_EMAIL}\n` + 'padding line with ordinary text\n'.repeat(200),
);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return errorCode(err);
  }
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('crypto envelope', () => {
  let envelope: Uint8Array;
  beforeAll(async () => {
    forgetDerivedKeys();
    envelope = await encryptEnvelope(plaintext, passphrase, { salt });
  });

  it('round-trips, and records ≥ 600,000 PBKDF2 iterations, the salt and a 12-byte IV in the header', async () => {
    expect(await decryptEnvelope(envelope, passphrase)).toEqual(plaintext);
    const h = await readEnvelopeHeader(envelope);
    expect(h.iterations).toBeGreaterThanOrEqual(600_000);
    expect(h.iterations).toBe(PBKDF2_ITERATIONS);
    expect(h.kdf).toBe('PBKDF2-SHA-256');
    expect(h.salt).toEqual(salt);
    expect(h.iv.length).toBe(IV_BYTES);
    expect(envelope.length).toBe(h.bodyOffset + plaintext.length + 16); // GCM: same length + 16-byte tag
  });

  it('uses a fresh IV for every file, so the same plaintext never encrypts the same way', async () => {
    const again = await encryptEnvelope(plaintext, passphrase, { salt });
    expect((await readEnvelopeHeader(again)).iv).not.toEqual((await readEnvelopeHeader(envelope)).iv);
    expect(again.subarray(100)).not.toEqual(envelope.subarray(100));
  });

  it('keeps the canary e-mail and name out of the envelope bytes', () => {
    const enc = new TextEncoder();
    expect(contains(plaintext, enc.encode(CANARY_EMAIL))).toBe(true); // the search itself works
    for (const canary of [CANARY_EMAIL, CANARY_NAME, 'Quartermain', 'customer_id']) {
      expect(contains(envelope, enc.encode(canary)), canary).toBe(false);
    }
  });

  it('says wrong-passphrase for a wrong passphrase', async () => {
    expect(await codeOf(decryptEnvelope(envelope, 'Correct horse battery staple'))).toBe('wrong-passphrase');
  });

  it('says tampered when any byte is flipped: header, iterations, salt, IV, verifier, ciphertext, tag', async () => {
    const h = await readEnvelopeHeader(envelope);
    const positions: Record<string, number> = {
      magic: 0,
      version: 4,
      iterations: 8,
      'salt length': 10,
      salt: 11 + 5,
      iv: 12 + SALT_BYTES + 3,
      verifier: h.bodyOffset - 20,
      'header digest': h.bodyOffset - 1,
      'ciphertext start': h.bodyOffset,
      'ciphertext middle': h.bodyOffset + 400,
      tag: envelope.length - 1,
    };
    for (const [what, at] of Object.entries(positions)) {
      const bad = envelope.slice();
      bad[at] ^= 0x01;
      expect(await codeOf(decryptEnvelope(bad, passphrase)), what).toBe('tampered');
    }
    expect(await codeOf(decryptEnvelope(envelope.subarray(0, envelope.length - 5), passphrase))).toBe('tampered');
  });

  it('refuses bytes that are not an envelope, weak parameters and an empty passphrase', async () => {
    expect(await codeOf(decryptEnvelope(new TextEncoder().encode('id,name\n1,Ann\n'.repeat(10)), passphrase))).toBe('unsupported-format');
    expect(await codeOf(encryptEnvelope(plaintext, passphrase, { iterations: 100_000 }))).toBe('invalid-argument');
    expect(await codeOf(encryptEnvelope(plaintext, passphrase, { salt: new Uint8Array(8) }))).toBe('invalid-argument');
    expect(await codeOf(encryptEnvelope(plaintext, ''))).toBe('invalid-argument');
  });
});

describe('workspace bundle', () => {
  const files = [
    { name: 'tables/customers.parquet', bytes: new Uint8Array([80, 65, 82, 49, 0, 1, 2, 255]) },
    jsonWorkspaceFile('recipe.json', { steps: [{ kind: 'trim', column: 'name' }] }),
    jsonWorkspaceFile('settings.json', { pseudonymSecret: 'ab'.repeat(32), note: CANARY_NAME }),
    { name: 'tables/empty.arrow', bytes: new Uint8Array(0) },
  ];

  it('packs and unpacks named files byte for byte', () => {
    const back = unpackWorkspace(packWorkspace(files));
    expect(back.map((f) => f.name)).toEqual(files.map((f) => f.name));
    back.forEach((f, i) => expect(f.bytes).toEqual(files[i].bytes));
    expect(readWorkspaceJson<{ steps: unknown[] }>(back, 'recipe.json').steps).toHaveLength(1);
    expect(() => readWorkspaceJson(back, 'missing.json')).toThrow(/no "missing.json"/);
  });

  it('refuses duplicate names and a truncated container', () => {
    expect(() => packWorkspace([files[0], files[0]])).toThrow(/two files named/);
    expect(() => unpackWorkspace(packWorkspace(files).subarray(0, 30))).toThrow(/ends early/);
  });

  it('seals as one envelope (names and contents hidden) and opens again', async () => {
    const sealed = await sealWorkspace(files, passphrase, { salt });
    const enc = new TextEncoder();
    for (const s of ['tables/customers', 'recipe.json', CANARY_NAME]) expect(contains(sealed, enc.encode(s)), s).toBe(false);
    const opened = await openWorkspace(sealed, passphrase);
    expect(opened.map((f) => f.name)).toEqual(files.map((f) => f.name));
    expect(readWorkspaceJson<{ note: string }>(opened, 'settings.json').note).toBe(CANARY_NAME);
    expect(await codeOf(openWorkspace(sealed, 'nope'))).toBe('wrong-passphrase');
  });
});
