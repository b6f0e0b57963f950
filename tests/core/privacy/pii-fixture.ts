import { createRng } from '../../../src/core/random';
import type { PiiColumnSample, PiiKind } from '../../../src/core/privacy/pii-detect';

/**
 * A seeded 200-row fixture with known personal-data columns and tricky non-personal ones
 * (10-digit order numbers, zero-padded invoice numbers, product codes, capitalised product and city names, 16-digit
 * transaction ids, an `email_opt_in` flag), and the kind each column truly holds.
 */
export function piiFixture(rows = 200): { columns: PiiColumnSample[]; truth: Record<string, PiiKind | null> } {
  const rng = createRng(8);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(10)).join('');
  const firsts = ['Mary', 'James', 'Olivia', 'Liam', 'Fatima', 'Wei', 'Carlos', 'Sofia', 'Hiroshi', 'Emma', 'Noah', 'Aisha', 'Zanele', 'Thandiwe'];
  const lasts = ['Smith', 'Garcia', "O'Brien", 'Nguyen', 'Okafor', 'Müller', 'Kowalski', 'Rossi', 'Tanaka', 'Dubois'];
  const streets = ['Baker Street', 'Oak Ave', 'Maple Road', 'Church Lane', 'Station Rd', 'High St', 'Elm Drive'];
  const cities = ['Palm Grove', 'Elk Ridge', 'Canyon City', 'Sierra Vista', 'Harbor View', 'Westhaven'];
  const products = ['Blue Widget', 'Deluxe Kettle', 'Garden Hose', 'Travel Mug', 'Desk Lamp', 'Grace Candle', 'Jordan Sneaker'];
  const luhnComplete = (body: string) => {
    for (let d = 0; d < 10; d++) {
      const s = body + d;
      let sum = 0;
      for (let i = s.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
        let x = Number(s[i]) * (dbl ? 2 : 1);
        if (x > 9) x -= 9;
        sum += x;
      }
      if (sum % 10 === 0) return s;
    }
    return body;
  };
  const gbIban = () => {
    const bban = 'NWBK' + digits(14);
    const numeric = (bban + 'GB00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
    let rem = 0;
    for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
    return `GB${String(98 - rem).padStart(2, '0')}${bban}`;
  };
  const person = () => `${pick(firsts)} ${pick(lasts)}`;
  const col = (name: string, make: (i: number) => unknown, type = 'VARCHAR') => ({ name, type, values: Array.from({ length: rows }, (_, i) => make(i)) });

  const columns: PiiColumnSample[] = [
    col('customer_id', (i) => i + 1, 'BIGINT'),
    col('customer_name', () => person()),
    col('firstName', () => pick(firsts)),
    col('email', (i) => `user${i}.${pick(lasts).toLowerCase().replace(/[^a-z]/g, '')}@example.com`),
    col('contact', (i) => (i % 10 === 0 ? null : `c${i}@mail.example.org`)),
    col('phone', () => pick([`(415) 555-${digits(4)}`, `020 7946 ${digits(4)}`, `+44 7911 ${digits(6)}`, `06 12 ${digits(2)} ${digits(2)} ${digits(2)}`])),
    col('col_7', () => `+1${pick(['415', '212', '646'])}555${digits(4)}`),
    col('holder', () => person()),
    col('address', () => `${1 + rng.int(300)} ${pick(streets)}`),
    col('postcode', () => pick(['SW1A 1AA', 'M1 1AE', 'EC1A 1BB', 'B33 8TH', 'CR2 6XH'])),
    col('zip', () => String(10000 + rng.int(89999))),
    col('ssn', () => `${String(1 + rng.int(665)).padStart(3, '0')}-${String(1 + rng.int(98)).padStart(2, '0')}-${String(1 + rng.int(9998)).padStart(4, '0')}`),
    col('ni_number', () => `${pick(['AB', 'CE', 'JP', 'TW'])}${digits(6)}${pick(['A', 'B', 'C', 'D'])}`),
    col('iban', () => gbIban()),
    col('payment', () => luhnComplete('4' + digits(14))),
    col('date_of_birth', () => `19${50 + rng.int(50)}-0${1 + rng.int(9)}-1${rng.int(10)}`, 'DATE'),
    // Not personal data, some of it built to look like it.
    col('order_id', () => `${2 + rng.int(8)}${digits(9)}`),
    col('invoice_no', () => `00${digits(8)}`),
    col('order_ref', () => `ORD-2024-${digits(6)}`),
    col('product_code', () => `SKU-${digits(5)}-${pick(['A', 'B', 'C'])}`),
    col('product_name', () => pick(products)),
    col('name', () => pick(products)),
    col('city', () => pick(cities)),
    col('amount', () => (rng.next() * 500).toFixed(2), 'DOUBLE'),
    col('status', () => pick(['paid', 'shipped', 'refunded'])),
    col('created_at', () => `2024-0${1 + rng.int(9)}-1${rng.int(10)} 10:${10 + rng.int(49)}:00`, 'TIMESTAMP'),
    col('transaction_id', () => digits(16)),
    col('email_opt_in', () => pick(['true', 'false']), 'BOOLEAN'),
    col('plan', () => pick(['Gold Plus', 'Silver', 'Basic Monthly'])),
  ];
  const truth: Record<string, PiiKind | null> = {
    customer_id: null, customer_name: 'person-name', firstName: 'person-name', email: 'email', contact: 'email',
    phone: 'phone', col_7: 'phone', holder: 'person-name', address: 'street-address', postcode: 'postcode',
    zip: 'postcode', ssn: 'national-id', ni_number: 'national-id', iban: 'iban', payment: 'payment-card',
    date_of_birth: 'birth-date', order_id: null, invoice_no: null, order_ref: null, product_code: null, product_name: null,
    name: null, city: null, amount: null, status: null, created_at: null, transaction_id: null,
    email_opt_in: null, plan: null,
  };
  return { columns, truth };
}
