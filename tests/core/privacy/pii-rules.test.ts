import { describe, expect, it } from 'vitest';
import {
  isEmail,
  isIban,
  isPaymentCard,
  isPhoneNumber,
  isPostcode,
  isStreetAddress,
  isUkNino,
  isUsSsn,
  luhnValid,
  personNameMatch,
} from '../../../src/core/privacy/pii-rules';

describe('luhnValid (ISO/IEC 7812-1 Annex B)', () => {
  it('accepts the textbook example and well-known test card numbers', () => {
    // 79927398713: the worked example of the Luhn algorithm (Wikipedia); the rest are the
    // issuers' published test numbers (Stripe/PayPal/Braintree documentation).
    for (const n of ['79927398713', '4111111111111111', '4012888888881881', '5555555555554444', '5105105105105100', '378282246310005', '371449635398431', '6011111111111117', '3530111333300000', '30569309025904']) {
      expect(luhnValid(n), n).toBe(true);
    }
  });
  it('refuses a changed digit or transposition', () => {
    for (const n of ['79927398710', '4111111111111112', '5555555555554445', '378282246310006', '1234567812345678', '']) expect(luhnValid(n), n).toBe(false);
  });
});

describe('isPaymentCard', () => {
  it('needs length, issuer prefix and Luhn', () => {
    expect(isPaymentCard('4111 1111 1111 1111')).toBe(true);
    expect(isPaymentCard('5555-5555-5555-4444')).toBe(true);
    expect(isPaymentCard('2221000000000009')).toBe(true); // Mastercard 2-series test number
    expect(isPaymentCard('1234567812345670')).toBe(false); // Luhn-valid, but no issuer starts with 1
    expect(isPaymentCard('79927398713')).toBe(false); // Luhn-valid, too short for a card
    expect(isPaymentCard('4111111111111112')).toBe(false);
  });
});

describe('isIban (ISO 13616 mod-97)', () => {
  // The "IBAN electronic format example" of each country in the SWIFT IBAN Registry.
  const registry = [
    'GB29NWBK60161331926819',
    'DE89370400440532013000',
    'FR1420041010050500013M02606',
    'NL91ABNA0417164300',
    'BE68539007547034',
    'CH9300762011623852957',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'NO9386011117947',
    'AT611904300234573201',
  ];
  it('accepts the registry examples, with or without print spacing', () => {
    for (const iban of registry) expect(isIban(iban), iban).toBe(true);
    expect(isIban('GB29 NWBK 6016 1331 9268 19')).toBe(true);
  });
  it('refuses a changed digit, swapped digits, wrong length or unknown shape', () => {
    expect(isIban('GB29NWBK60161331926818')).toBe(false);
    expect(isIban('GB29NWBK60161331928619')).toBe(false);
    expect(isIban('DE8937040044053201300')).toBe(false);
    expect(isIban('GB00NWBK60161331926819')).toBe(false);
    expect(isIban('ORDER-2024-000123')).toBe(false);
  });
});

describe('national ids', () => {
  it('US SSN format rules (SSA: no 000/666/9xx area, 00 group, 0000 serial)', () => {
    expect(isUsSsn('078-05-1120')).toBe(true);
    expect(isUsSsn('123 45 6789')).toBe(true);
    for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '123456789', '12-345-6789']) expect(isUsSsn(bad), bad).toBe(false);
  });
  it('UK NINO format rules (HMRC NIM39110)', () => {
    expect(isUkNino('AB123456C')).toBe(true);
    expect(isUkNino('ab 12 34 56 c')).toBe(true);
    for (const bad of ['GB123456A', 'DA123456A', 'AO123456A', 'AB123456E', 'AB12345C', 'ZZ123456A']) expect(isUkNino(bad), bad).toBe(false);
  });
});

describe('contact details', () => {
  it('e-mail', () => {
    expect(isEmail('mary.smith12@example.com')).toBe(true);
    expect(isEmail("o'brien+news@mail.example.co.uk")).toBe(true);
    for (const bad of ['mary@', '@example.com', 'mary smith@example.com', 'mary@example', 'n/a']) expect(isEmail(bad), bad).toBe(false);
  });
  it('phone: E.164 and national formats, not bare ids or dates', () => {
    for (const ok of ['+14155552671', '+44 20 7946 0958', '+44 (0)20 7946 0958', '0044 20 7946 0958', '(415) 555-2671', '415-555-2671', '415.555.2671', '020 7946 0958', '06 12 34 56 78', '07911123456']) {
      expect(isPhoneNumber(ok), ok).toBe(true);
    }
    for (const bad of ['4155552671', '0012345678', '00441234567890', '100234', '2024-01-15', '1.2.3', 'ORD-415-555-2671', '0000123456', '+0123456789', '12--34']) {
      expect(isPhoneNumber(bad), bad).toBe(false);
    }
  });
  it('street addresses', () => {
    for (const ok of ['221B Baker Street', '12 Oak Ave.', '1600 Pennsylvania Avenue NW, Washington', 'Hauptstraße 5', 'Bahnhofstr. 12a', '12 rue de la Paix', 'Via Roma 10']) {
      expect(isStreetAddress(ok), ok).toBe(true);
    }
    for (const bad of ['Baker Street', '12 apples', 'SKU-123', '2024-01-15', 'Palm Grove']) expect(isStreetAddress(bad), bad).toBe(false);
  });
  it('postcodes with a distinctive shape', () => {
    for (const ok of ['SW1A 1AA', 'M1 1AE', 'K1A 0B1', '1012 AB', '94105-1804']) expect(isPostcode(ok), ok).toBe(true);
    for (const bad of ['94105', 'ABC 123', '2024-01']) expect(isPostcode(bad), bad).toBe(false);
  });
});

describe('personNameMatch', () => {
  it('listed first names, Last-comma-First, and shape-only words', () => {
    expect(personNameMatch('Mary Smith')).toBe('listed');
    expect(personNameMatch("Sean O'Brien")).toBe('listed');
    expect(personNameMatch('Smith, John')).toBe('listed');
    expect(personNameMatch('José García')).toBe('listed');
    expect(personNameMatch('Olivia')).toBe('listed');
    expect(personNameMatch('Palm Grove')).toBe('shape'); // a city: the false-positive risk
    expect(personNameMatch('Blue Widget')).toBe('shape'); // a product
    expect(personNameMatch('Widget')).toBe(null);
    expect(personNameMatch('mary smith')).toBe(null);
    expect(personNameMatch('ACME LTD')).toBe(null);
  });
});
