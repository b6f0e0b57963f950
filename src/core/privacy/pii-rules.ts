import { isCommonFirstName } from './first-names';

/**
 * Value-level checks for personal data: each takes one cell's text and says whether it has the
 * shape (and, where a public algorithm exists, the check digits) of one kind of identifier.
 * They are deliberately strict about shape so that order numbers, product codes and dates do not
 * pass; column-level decisions (how many sample values must match) live in pii-detect.ts.
 */

/**
 * Luhn (mod-10) check digit test of a digit string, as used by payment cards (ISO/IEC 7812-1
 * Annex B). About 1 in 10 random digit strings passes, so it is only evidence together with the
 * length and issuer-prefix rules of {@link isPaymentCard}.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A payment card number: 13–19 digits (spaces or dashes allowed between groups), a major issuer
 * prefix (ISO/IEC 7812 IIN ranges: Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37,
 * Diners 36/38/300–305, Discover 6011/64/65, JCB 3528–3589, UnionPay 62, Maestro 50/56–69),
 * and a valid Luhn check digit.
 */
export function isPaymentCard(value: string): boolean {
  const s = value.trim();
  if (!/^\d[\d -]{11,22}\d$/.test(s)) return false;
  const digits = s.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const issuer =
    digits[0] === '4' ||
    (p2 >= 50 && p2 <= 56) ||
    (p4 >= 2221 && p4 <= 2720) ||
    p2 === 34 || p2 === 37 || p2 === 36 || p2 === 38 ||
    (p4 >= 3000 && p4 <= 3059) ||
    (p4 >= 3528 && p4 <= 3589) ||
    (p2 >= 60 && p2 <= 69);
  return issuer && luhnValid(digits);
}

/**
 * IBAN lengths by country from the SWIFT IBAN Registry (ISO 13616); countries not listed are
 * accepted at 15–34 characters.
 */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30,
  KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27,
  MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24,
  SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};

/**
 * An IBAN (ISO 13616-1): country code, two check digits, the national account number; spaces
 * allowed; the country's registered length; and the ISO 7064 MOD 97-10 check (move the first four
 * characters to the end, letters → 10..35, the number mod 97 must be 1).
 */
export function isIban(value: string): boolean {
  const s = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = IBAN_LENGTH[s.slice(0, 2)];
  if (expected !== undefined ? s.length !== expected : s.length < 15 || s.length > 34) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const part = code >= 65 ? String(code - 55) : ch;
    for (const d of part) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/**
 * A US Social Security number written `AAA-GG-SSSS` (dashes or spaces), with the SSA's
 * never-issued values refused: area 000, 666 or 900–999, group 00, serial 0000. SSNs carry no
 * check digit, so bare 9-digit numbers are not counted (they are indistinguishable from ids).
 */
export function isUsSsn(value: string): boolean {
  const m = /^(\d{3})[- ](\d{2})[- ](\d{4})$/.exec(value.trim());
  if (!m) return false;
  const area = Number(m[1]);
  return area !== 0 && area !== 666 && area < 900 && m[2] !== '00' && m[3] !== '0000';
}

/**
 * A UK National Insurance number (HMRC NIM39110 format rules): two prefix letters (not D, F, I,
 * Q, U, V; the second also not O; not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A–D.
 * There is no check digit.
 */
export function isUkNino(value: string): boolean {
  const s = value.replace(/\s+/g, '').toUpperCase();
  const m = /^([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(s);
  return m !== null && !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(m[1]);
}

/** An e-mail address: a WHATWG-style local part, `@`, a dotted domain ending in a 2+ letter TLD. */
export function isEmail(value: string): boolean {
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/.test(
    value.trim(),
  );
}

/**
 * A telephone number: E.164 (`+` or `00`, country code, 8–15 digits in all, ITU-T E.164), a North
 * American number with separators (`(415) 555-2671`, `415.555.2671`), or a national number with
 * a trunk `0` (`020 7946 0958`, `06 12 34 56 78`, `07911123456`). Bare digit runs without a
 * leading `+`/`0` are refused: they are what order numbers and ids look like. Known false
 * positive: an id zero-padded by exactly one digit (`0123456789`) reads as a national number.
 */
export function isPhoneNumber(value: string): boolean {
  const s = value.trim();
  if (!/^\+?[\d\s().-]+$/.test(s) || /[\s.-]{2}/.test(s)) return false;
  const digits = s.replace(/\(0\)/, '').replace(/\D/g, '');
  if (s.startsWith('+')) return digits.length >= 8 && digits.length <= 15 && digits[0] !== '0';
  // `00` + country code is written with spaces; bare `00…` digit runs are zero-padded ids.
  if (s.startsWith('00')) return digits.length >= 11 && digits.length <= 17 && digits[2] !== '0' && /[\s().-]/.test(s);
  if (/^(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[\s.-])[2-9]\d{2}[\s.-]\d{4}$/.test(s)) return true;
  return /^0[1-9]/.test(s) && digits.length >= 9 && digits.length <= 11 && (/[\s.-]/.test(s) || digits.length >= 10);
}

const STREET_SUFFIX =
  'street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|place|pl|way|terrace|ter|close|crescent|cres|square|sq|highway|hwy|parkway|pkwy|circle|cir|trail|row|mews|gardens|walk|grove|hill';
const NUMBER_FIRST = new RegExp(
  `^\\d{1,6}[A-Za-z]?(?:[-/]\\d{1,4})?,?\\s+(?:[\\p{L}\\d.'’-]+\\s+){0,4}(?:${STREET_SUFFIX})\\.?(?:[\\s,].*)?$`,
  'iu',
);
const NUMBER_LAST =
  /^[\p{L}.'’ -]*?(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|laan|straat|gracht|vej|gade|gatan|gata|veien)\s+\d{1,5}[a-z]?(?:[\s,].*)?$/iu;
const ROMANCE =
  /^(?:\d{1,5},?\s+)?(?:rue|avenue|boulevard|bd|via|viale|piazza|calle|avenida|plaza|rua|carrer)\s+[\p{L}\d .'’-]+(?:,?\s*\d{1,5}.*)?$/iu;

/**
 * A street address: a house number and a street-type word (`221B Baker Street`, `12 Oak Ave.`),
 * a Germanic/Nordic street word then a number (`Hauptstraße 5`, `Damrak 1` is not caught), or a
 * Romance street word with a number (`12 rue de la Paix`, `Via Roma 10`).
 */
export function isStreetAddress(value: string): boolean {
  const s = value.trim();
  if (!/\d/.test(s) || s.length > 120) return false;
  return NUMBER_FIRST.test(s) || NUMBER_LAST.test(s) || ROMANCE.test(s);
}

/**
 * A postcode whose shape is distinctive: UK (`SW1A 1AA`), Canada (`K1A 0B1`), the Netherlands
 * (`1012 AB`), US ZIP+4 (`94105-1804`). Plain 4–5 digit codes are not counted from values alone:
 * they look like any small number; the column name decides those.
 */
export function isPostcode(value: string): boolean {
  const s = value.trim().toUpperCase();
  return (
    /^[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}$/.test(s) ||
    /^[ABCEGHJ-NPRSTVXY]\d[A-Z] ?\d[A-Z]\d$/.test(s) ||
    /^[1-9]\d{3} ?[A-Z]{2}$/.test(s) ||
    /^\d{5}-\d{4}$/.test(s)
  );
}

const NAME_TOKEN = /^(?:\p{Lu}\p{Ll}*['’]|Mc|Mac)?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?$/u;

/**
 * How much a value looks like a person's name: `listed` when it is 1–3 capitalised words and the
 * first (or, for `Last, First`, the one after the comma) is in the embedded list of common first
 * names; `shape` when it is 2–3 capitalised words with no listed first name; otherwise null.
 * False positives: `shape` also matches city, product and company names ("Palm Grove",
 * "Blue Widget"), and `listed` matches places and brands that share a first name ("Grace Hall",
 * "Jordan Valley"); detection therefore requires a share of `listed` values (see pii-detect.ts).
 */
export function personNameMatch(value: string): 'listed' | 'shape' | null {
  let s = value.trim().replace(/\s+/g, ' ');
  const comma = /^([^,]+), ([^,]+)$/.exec(s);
  if (comma) s = `${comma[2]} ${comma[1]}`;
  const tokens = s.split(' ');
  if (tokens.length > 3 || !tokens.every((t) => NAME_TOKEN.test(t))) return null;
  if (isCommonFirstName(tokens[0])) return 'listed';
  return tokens.length >= 2 ? 'shape' : null;
}
