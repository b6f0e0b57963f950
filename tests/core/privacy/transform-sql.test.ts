import { describe, expect, it } from 'vitest';
import { errorCode } from '../../../src/core/errors';
import {
  createPseudonymSecret,
  kAnonymitySql,
  privacySelectSql,
  privacyTransformSql,
  pseudonymKeyPads,
  PSEUDONYM_KEY_TABLE,
} from '../../../src/core/privacy/transform-sql';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return 'returned';
  } catch (err) {
    return errorCode(err);
  }
};

describe('pseudonymKeyPads (RFC 2104 key blocks)', () => {
  it('zero-pads the key to 64 bytes and XORs with 0x36 / 0x5c', () => {
    const { ipad, opad } = pseudonymKeyPads(new Uint8Array(16).fill(0x0b));
    expect(ipad).toBe('3d'.repeat(16) + '36'.repeat(48));
    expect(opad).toBe('57'.repeat(16) + '5c'.repeat(48));
  });
  it('refuses keys shorter than 16 or longer than 64 bytes', () => {
    expect(codeOf(() => pseudonymKeyPads(new Uint8Array(8)))).toBe('invalid-argument');
    expect(codeOf(() => pseudonymKeyPads(new Uint8Array(65)))).toBe('invalid-argument');
  });
  it('creates 32-byte random secrets', () => {
    const a = createPseudonymSecret();
    expect(a.length).toBe(32);
    expect(a).not.toEqual(createPseudonymSecret());
  });
});

describe('privacySelectSql', () => {
  const cols = ['id', 'e"mail', 'age'];
  it('quotes names, leaves out dropped columns, joins the key table only when needed', () => {
    const plain = privacySelectSql('my table', cols, { age: { kind: 'drop' } });
    expect(plain).toBe('SELECT __src."id" AS "id", __src."e""mail" AS "e""mail" FROM "my table" AS __src');
    const keyed = privacySelectSql('t', cols, { 'e"mail': { kind: 'pseudonymize' } });
    expect(keyed).toContain(`FROM "${PSEUDONYM_KEY_TABLE}"`);
    expect(keyed).toContain('left(sha256(__pk.__op || unhex(sha256(__pk.__ip || encode(CAST(__src."e""mail" AS VARCHAR))))), 16)');
  });
  it('escapes a prefix literal and normalises when asked', () => {
    const sql = privacySelectSql('t', cols, { id: { kind: 'pseudonymize', prefix: "o'k_", normalise: true, length: 20 } });
    expect(sql).toContain("'o''k_' || left(");
    expect(sql).toContain('lower(trim(CAST(__src."id" AS VARCHAR)))');
    expect(sql).toContain(', 20)');
  });
  it('refuses unknown columns, dropping everything, and bad parameters', () => {
    expect(codeOf(() => privacySelectSql('t', cols, { nope: { kind: 'drop' } }))).toBe('invalid-argument');
    expect(codeOf(() => privacySelectSql('t', ['a'], { a: { kind: 'drop' } }))).toBe('invalid-argument');
    expect(codeOf(() => privacySelectSql('t', cols, { age: { kind: 'age-band', width: 0 } }))).toBe('invalid-argument');
    expect(codeOf(() => privacySelectSql('t', cols, { id: { kind: 'pseudonymize', length: 4 } }))).toBe('invalid-argument');
  });
  it('wraps in CREATE OR REPLACE TABLE', () => {
    expect(privacyTransformSql('a', 'b', ['x'], {})).toBe('CREATE OR REPLACE TABLE "b" AS SELECT __src."x" AS "x" FROM "a" AS __src');
  });
});

describe('kAnonymitySql', () => {
  it('groups by the quasi-identifiers and counts rows in groups under k', () => {
    const sql = kAnonymitySql('people', ['zip3', 'age band'], 5);
    expect(sql).toContain('GROUP BY "zip3", "age band"');
    expect(sql).toContain('FILTER (WHERE n < 5)');
  });
  it('needs a quasi-identifier and k ≥ 2', () => {
    expect(codeOf(() => kAnonymitySql('t', [], 5))).toBe('invalid-argument');
    expect(codeOf(() => kAnonymitySql('t', ['a'], 1))).toBe('invalid-argument');
  });
});
