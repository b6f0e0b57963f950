import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../src/services/db/connector';
import { applyPrivacyTransforms, detectTablePii, kAnonymityReport } from '../../src/services/db/privacy';
import { privacyTransformSql, pseudonymKeyPads, PSEUDONYM_KEY_TABLE } from '../../src/core/privacy/transform-sql';
import { errorCode } from '../../src/core/errors';
import { freshDb, rows } from './helpers';

const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const secretA = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
const secretB = new Uint8Array(32).map((_, i) => (i * 53 + 7) & 0xff);

async function hmacHex(secret: Uint8Array, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)));
}

let db: DbConnector;

beforeAll(async () => {
  db = await freshDb();
  await db.query(`CREATE TABLE customers AS SELECT * FROM (VALUES
    (1, 'ann@example.com', 'Ann Lee', 34, DATE '2024-03-15', 'SW1A 1AA', '4111111111111111', 'F'),
    (2, 'bob@example.com', 'Bob Ray', 37, DATE '2024-03-02', 'SW1A 2BB', '5555 5555 5555 4444', 'M'),
    (3, 'cy@example.com', 'Cy Dunn', 45, DATE '2023-12-31', 'M1 1AE', '123', 'M'),
    (4, 'dee@example.com', 'Dee Holt', 41, DATE '2024-01-20', 'M1 2AB', NULL, 'F'),
    (5, 'eve@example.com', NULL, 92, NULL, 'EC1A 1BB', '378282246310005', 'F'),
    (6, NULL, 'Fay Wu', NULL, DATE '2024-02-29', NULL, '4012888888881881', 'F')
  ) t(id, email, full_name, age, signup, postcode, card, gender)`);
  await db.query(`CREATE TABLE orders AS SELECT * FROM (VALUES
    (10, 'ann@example.com', 5.0), (11, 'ann@example.com', 7.5), (12, 'ann@example.com', 1.0),
    (13, 'bob@example.com', 2.0), (14, 'bob@example.com', 3.0), (15, 'cy@example.com', 9.0),
    (16, 'zed@example.com', 4.0), (17, NULL, 8.0)
  ) t(order_id, customer_email, amount)`);
});

afterAll(async () => {
  await db?.close();
});

describe('pseudonymize (HMAC-SHA-256 written in DuckDB SQL)', () => {
  it('matches WebCrypto HMAC-SHA-256 bit for bit, including RFC 4231 test case 1', async () => {
    const rfcKey = new Uint8Array(20).fill(0x0b);
    await db.query(`CREATE TABLE rfc AS SELECT 'Hi There' AS m`);
    await applyPrivacyTransforms(db, { source: 'rfc', target: 'rfc_p', transforms: { m: { kind: 'pseudonymize', length: 64 } }, secret: rfcKey });
    const [{ m }] = await rows(db, 'SELECT m FROM rfc_p');
    expect(m).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(m).toBe(await hmacHex(rfcKey, 'Hi There'));
  });

  it('is deterministic, keeps NULLs and distinct counts, and never leaves the key behind', async () => {
    const t = { email: { kind: 'pseudonymize' as const, prefix: 'c_' } };
    await applyPrivacyTransforms(db, { source: 'customers', target: 'cust_p1', transforms: t, secret: secretA });
    await applyPrivacyTransforms(db, { source: 'customers', target: 'cust_p2', transforms: t, secret: secretA });
    const a = await rows(db, 'SELECT id, email FROM cust_p1 ORDER BY id');
    const b = await rows(db, 'SELECT id, email FROM cust_p2 ORDER BY id');
    expect(a).toEqual(b);
    expect(a[0].email).toBe(`c_${(await hmacHex(secretA, 'ann@example.com')).slice(0, 16)}`);
    expect(a[5].email).toBeNull();
    expect(new Set(a.slice(0, 5).map((r) => r.email)).size).toBe(5);
    const left = await rows(db, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${PSEUDONYM_KEY_TABLE}'`);
    expect(left[0].n).toBe(0);
    const sql = privacyTransformSql('customers', 'x', ['email'], t);
    const pads = pseudonymKeyPads(secretA);
    expect(sql.includes(pads.ipad) || sql.includes(pads.opad)).toBe(false);
  });

  it('preserves joins across tables under one secret, and breaks them under another', async () => {
    const joinCount = async (c: string, o: string) =>
      (await rows(db, `SELECT count(*) AS n FROM ${c} c JOIN ${o} o ON c.email = o.customer_email`))[0].n;
    expect(await joinCount('customers', 'orders')).toBe(6);
    await applyPrivacyTransforms(db, { source: 'orders', target: 'orders_pa', transforms: { customer_email: { kind: 'pseudonymize', prefix: 'c_' } }, secret: secretA });
    await applyPrivacyTransforms(db, { source: 'orders', target: 'orders_pb', transforms: { customer_email: { kind: 'pseudonymize', prefix: 'c_' } }, secret: secretB });
    expect(await joinCount('cust_p1', 'orders_pa')).toBe(6);
    expect(await joinCount('cust_p1', 'orders_pb')).toBe(0);
  });

  it('refuses to pseudonymize without a secret', async () => {
    const err = await applyPrivacyTransforms(db, { source: 'orders', target: 'o', transforms: { customer_email: { kind: 'pseudonymize' } } }).catch((e) => e);
    expect(errorCode(err)).toBe('invalid-argument');
  });
});

describe('mask, generalize, drop (expected values worked out by hand)', () => {
  it('applies each transform and keeps column order', async () => {
    await applyPrivacyTransforms(db, {
      source: 'customers',
      target: 'cust_safe',
      transforms: {
        email: { kind: 'drop' },
        full_name: { kind: 'drop' },
        card: { kind: 'mask' },
        age: { kind: 'age-band' },
        signup: { kind: 'date-bucket' },
        postcode: { kind: 'postcode-prefix' },
      },
    });
    const out = await rows(db, `SELECT id, card, age, strftime(signup, '%Y-%m-%d') AS signup, postcode, gender FROM cust_safe ORDER BY id`);
    expect(out).toEqual([
      { id: 1, card: '************1111', age: '30-39', signup: '2024-03-01', postcode: 'SW1', gender: 'F' },
      { id: 2, card: '***************4444', age: '30-39', signup: '2024-03-01', postcode: 'SW1', gender: 'M' },
      { id: 3, card: '***', age: '40-49', signup: '2023-12-01', postcode: 'M1', gender: 'M' },
      { id: 4, card: null, age: '40-49', signup: '2024-01-01', postcode: 'M1', gender: 'F' },
      { id: 5, card: '***********0005', age: '90+', signup: null, postcode: 'EC1', gender: 'F' },
      { id: 6, card: '************1881', age: null, signup: '2024-02-01', postcode: null, gender: 'F' },
    ]);
    const cols = (await rows(db, 'DESCRIBE cust_safe')).map((r) => `${r.column_name}:${r.column_type}`);
    expect(cols).toEqual(['id:INTEGER', 'age:VARCHAR', 'signup:DATE', 'postcode:VARCHAR', 'card:VARCHAR', 'gender:VARCHAR']);
  });

  it('transforms a table in place', async () => {
    await db.query('CREATE TABLE inplace AS SELECT * FROM orders');
    await applyPrivacyTransforms(db, { source: 'inplace', target: 'inplace', transforms: { amount: { kind: 'drop' } } });
    const cols = (await rows(db, 'DESCRIBE inplace')).map((r) => r.column_name);
    expect(cols).toEqual(['order_id', 'customer_email']);
    expect((await rows(db, 'SELECT count(*) AS n FROM inplace'))[0].n).toBe(8);
  });
});

describe('k-anonymity report', () => {
  it('matches the group sizes counted by hand', async () => {
    // Groups on (zip3, band, sex): (941,30-39,F)=3, (941,30-39,M)=2, (100,40-49,F)=1, (NULL,40-49,F)=2.
    await db.query(`CREATE TABLE people AS SELECT * FROM (VALUES
      ('941','30-39','F'), ('941','30-39','F'), ('941','30-39','F'), ('941','30-39','M'), ('941','30-39','M'),
      ('100','40-49','F'), (NULL,'40-49','F'), (NULL,'40-49','F')) t(zip3, band, sex)`);
    const r3 = await kAnonymityReport(db, 'people', ['zip3', 'band', 'sex'], 3);
    expect(r3).toMatchObject({ k: 3, smallestGroup: 1, groups: 4, rows: 8, groupsBelowK: 3, rowsBelowK: 5, satisfied: false });
    expect(r3.smallest[0]).toEqual({ zip3: '100', band: '40-49', sex: 'F', group_size: 1 });
    const r2 = await kAnonymityReport(db, 'people', ['zip3', 'band', 'sex'], 2);
    expect(r2).toMatchObject({ groupsBelowK: 1, rowsBelowK: 1, satisfied: false });
    const band = await kAnonymityReport(db, 'people', ['band'], 3);
    expect(band).toMatchObject({ smallestGroup: 3, groups: 2, groupsBelowK: 0, rowsBelowK: 0, satisfied: true, smallest: [] });
  });
});

describe('detectTablePii', () => {
  it('flags the personal columns of a DuckDB table from a sample', async () => {
    const findings = await detectTablePii(db, 'customers');
    const flagged = findings.filter((f) => f.flagged).map((f) => `${f.column}:${f.kind}`);
    expect(flagged).toEqual(['email:email', 'full_name:person-name', 'postcode:postcode', 'card:payment-card']);
  });
});
