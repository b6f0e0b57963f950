import { describe, expect, it } from 'vitest';
import { detectColumnPii, detectPii, matchColumnName, normaliseColumnName } from '../../../src/core/privacy/pii-detect';
import { piiFixture } from './pii-fixture';

describe('column names', () => {
  it('normalises camelCase and punctuation', () => {
    expect(normaliseColumnName('customerEmail')).toBe('customer_email');
    expect(normaliseColumnName('E-Mail Address')).toBe('e_mail_address');
  });
  it('matches the usual spellings and skips IP/web addresses', () => {
    const kinds = Object.fromEntries(
      ['e-mail', 'EmailAddress', 'mobile_no', 'Phone', 'FirstName', 'surname', 'full name', 'Street', 'address_line_1', 'zip_code', 'Postcode', 'SSN', 'national_id', 'IBAN', 'card_number', 'DOB', 'ip_address', 'order_id', 'name'].map((n) => [n, matchColumnName(n)?.kind ?? null]),
    );
    expect(kinds).toEqual({
      'e-mail': 'email', EmailAddress: 'email', mobile_no: 'phone', Phone: 'phone', FirstName: 'person-name', surname: 'person-name',
      'full name': 'person-name', Street: 'street-address', address_line_1: 'street-address', zip_code: 'postcode', Postcode: 'postcode',
      SSN: 'national-id', national_id: 'national-id', IBAN: 'iban', card_number: 'payment-card', DOB: 'birth-date', ip_address: null,
      order_id: null, name: 'person-name',
    });
  });
});

describe('detectPii on the fixture', () => {
  const { columns, truth } = piiFixture();
  const findings = detectPii(columns);

  it('flags every personal column with the right kind and no non-personal column', () => {
    const table = findings.map((f) => `${f.column.padEnd(15)} ${String(f.kind).padEnd(15)} ${f.confidence.toFixed(2)} ${f.flagged ? 'FLAG' : '-'}`);
    console.log(table.join('\n'));
    const wrong = findings.filter((f) => (f.flagged ? f.kind : null) !== truth[f.column]).map((f) => `${f.column}: ${f.flagged ? f.kind : 'not flagged'}, expected ${truth[f.column]}`);
    expect(wrong).toEqual([]);
    const flagged = findings.filter((f) => f.flagged).length;
    const personal = Object.values(truth).filter((k) => k !== null).length;
    expect(flagged).toBe(personal); // precision and recall both 1 on this fixture
  });

  it('says why: the rule and how many sampled values matched', () => {
    const email = findings.find((f) => f.column === 'contact')!;
    expect(email.evidence).toContainEqual({ source: 'values', kind: 'email', rule: 'email', matched: 180, sampled: 180 });
    const card = findings.find((f) => f.column === 'payment')!;
    expect(card.evidence.some((e) => e.source === 'values' && e.rule.includes('Luhn') && e.matched === 200)).toBe(true);
    const optIn = findings.find((f) => f.column === 'email_opt_in')!;
    expect(optIn.kind).toBe('email');
    expect(optIn.flagged).toBe(false); // the name says e-mail, the values do not
    const tx = findings.find((f) => f.column === 'transaction_id')!;
    const luhn = tx.evidence.find((e) => e.source === 'values' && e.kind === 'payment-card');
    expect(luhn && luhn.source === 'values' ? luhn.matched / luhn.sampled : 0).toBeLessThan(0.15); // random 16-digit ids: ~1 in 10 pass Luhn
  });

  it('does not call capitalised city or product names person names', () => {
    for (const name of ['city', 'product_name', 'name', 'plan']) {
      const f = findings.find((x) => x.column === name)!;
      expect(f.flagged, name).toBe(false);
    }
  });

  it('handles an empty or all-null sample', () => {
    expect(detectColumnPii({ name: 'notes', values: [] })).toMatchObject({ kind: null, confidence: 0, flagged: false });
    expect(detectColumnPii({ name: 'email', type: 'VARCHAR', values: [null, null] })).toMatchObject({ kind: 'email', flagged: true });
  });
});

describe('detectPii on the Demo CRM sample', () => {
  it('flags the customers name and email columns and nothing else', async () => {
    const { generateCrmDemo } = await import('../../../src/core/generate/crm-demo');
    const demo = generateCrmDemo({ customers: 300 });
    const flagged: string[] = [];
    for (const [table, cols] of Object.entries({ customers: demo.customers, orders: demo.orders, order_lines: demo.orderLines, feedback: demo.feedback })) {
      const findings = detectPii(cols.map((c) => ({ name: c.name, values: c.values.slice(0, 500).map((v) => (v instanceof Date ? v.toISOString() : v)) })));
      for (const f of findings) if (f.flagged) flagged.push(`${table}.${f.column}:${f.kind}`);
    }
    expect(flagged).toEqual(['customers.name:person-name', 'customers.email:email']);
  });
});

describe('explainFinding', () => {
  it('turns evidence into lines the UI can show', async () => {
    const { explainFinding } = await import('../../../src/core/privacy/pii-detect');
    const f = detectColumnPii({ name: 'email', type: 'VARCHAR', values: ['a@example.com', 'b@example.com', 'n/a'] });
    expect(explainFinding(f)).toEqual(['the column name "email" suggests e-mail addresses', '2 of 3 sampled values pass the email check']);
  });
});
