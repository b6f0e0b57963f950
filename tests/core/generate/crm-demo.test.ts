import { describe, expect, it } from 'vitest';
import type { ValueColumn } from '../../../src/core/formats/arrow-build';
import { AFFINITIES, PRODUCTS } from '../../../src/core/generate/catalog';
import { generateCrmDemo, type CrmDemo, type CrmDemoOptions } from '../../../src/core/generate/crm-demo';
import { REGIONS } from '../../../src/core/generate/people';

const col = (cols: ValueColumn[], name: string): unknown[] => {
  const c = cols.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
};
const nums = (cols: ValueColumn[], name: string) => col(cols, name) as number[];
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Gauss's hypergeometric 2F1(a, b; c; z) by its power series (|z| < 1). */
function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000 && Math.abs(term) > 1e-14 * Math.abs(sum); k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
  }
  return sum;
}

/** Trigamma ψ′(x): recurrence up to x ≥ 6, then the asymptotic series. */
function trigamma(x: number): number {
  let acc = 0;
  for (; x < 6; x++) acc += 1 / (x * x);
  const x2 = 1 / (x * x);
  return acc + 1 / x + x2 / 2 + (x2 / x) * (1 / 6 - x2 * (1 / 30 - x2 * (1 / 42 - x2 / 30)));
}

const demo = generateCrmDemo();

describe('generateCrmDemo: determinism and shape', () => {
  it('gives identical tables for the same seed, different ones for another seed', () => {
    const again = generateCrmDemo();
    expect(again.customers).toEqual(demo.customers);
    expect(again.orders).toEqual(demo.orders);
    expect(again.orderLines).toEqual(demo.orderLines);
    expect(again.feedback).toEqual(demo.feedback);
    expect(again.truth).toEqual(demo.truth);
    expect(generateCrmDemo({ seed: 43 }).orders).not.toEqual(demo.orders);
  });

  it('has the documented columns, equal lengths and realistic sizes', () => {
    const names = (cols: ValueColumn[]) => cols.map((c) => c.name);
    expect(names(demo.customers)).toEqual(['customer_id', 'name', 'email', 'gender', 'age', 'region', 'city', 'signup_date', 'plan']);
    expect(names(demo.orders)).toEqual(['order_id', 'customer_id', 'order_date', 'amount', 'channel', 'payment', 'status']);
    expect(names(demo.orderLines)).toEqual(['order_id', 'product', 'category', 'quantity', 'unit_price']);
    expect(names(demo.feedback)).toEqual(['feedback_id', 'customer_id', 'date', 'rating', 'text']);
    for (const table of [demo.customers, demo.orders, demo.orderLines, demo.feedback] as ValueColumn[][]) {
      expect(new Set(table.map((c) => c.values.length)).size).toBe(1);
    }
    expect(demo.customers[0].values).toHaveLength(2000);
    // ≈ 3.1 orders per customer, 5–10 lines per order, a few hundred reviews (seed 42).
    expect(demo.orders[0].values.length).toBeGreaterThan(5000);
    expect(demo.orders[0].values.length).toBeLessThan(8000);
    expect(demo.orderLines[0].values.length / demo.orders[0].values.length).toBeGreaterThan(4);
    expect(demo.feedback[0].values.length).toBeGreaterThan(300);
    expect(PRODUCTS).toHaveLength(150);
  });

  it('refuses impossible options with a message naming the value', () => {
    expect(() => generateCrmDemo({ customers: 0 })).toThrow(/customers must be a whole number ≥ 1, not 0/);
    expect(() => generateCrmDemo({ start: new Date('2024-01-01'), end: new Date('2023-01-01') })).toThrow(/must come after start/);
    expect(() => generateCrmDemo({ gammaGamma: { q: 1 } })).toThrow(/q must exceed 1/);
  });
});

describe('generateCrmDemo: referential and range sanity', () => {
  const { start, end } = demo.truth;
  const inWindow = (d: unknown) => d instanceof Date && d >= start && d < end;

  it('every order belongs to a customer, after their sign-up, inside the window, ids in date order', () => {
    const ids = new Set(nums(demo.customers, 'customer_id'));
    const signup = col(demo.customers, 'signup_date') as Date[];
    const dates = col(demo.orders, 'order_date') as Date[];
    nums(demo.orders, 'customer_id').forEach((c, i) => {
      expect(ids.has(c)).toBe(true);
      expect(dates[i] >= signup[c - 1]).toBe(true);
    });
    expect(dates.every(inWindow)).toBe(true);
    expect(signup.every(inWindow)).toBe(true);
    expect(dates.every((d, i) => i === 0 || d >= dates[i - 1])).toBe(true);
    expect(nums(demo.orders, 'order_id')).toEqual(dates.map((_, i) => i + 1));
    // x + 1 orders per customer, as the truth says.
    const counts = new Map<number, number>();
    for (const c of nums(demo.orders, 'customer_id')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(demo.truth.customers.x.map((x, i) => counts.get(i + 1) === x + 1).every(Boolean)).toBe(true);
  });

  it('order lines add up to the order amount within half a cent per unit', () => {
    const amount = nums(demo.orders, 'amount');
    const orderId = nums(demo.orderLines, 'order_id');
    const q = nums(demo.orderLines, 'quantity');
    const price = nums(demo.orderLines, 'unit_price');
    const sum = new Float64Array(amount.length);
    const units = new Float64Array(amount.length);
    orderId.forEach((o, i) => {
      sum[o - 1] += q[i] * price[i];
      units[o - 1] += q[i];
    });
    amount.forEach((a, i) => {
      expect(units[i]).toBeGreaterThan(0);
      expect(Math.abs(sum[i] - a)).toBeLessThanOrEqual(0.005 * units[i] + 1e-9);
    });
    const known = new Map(PRODUCTS.map((p) => [p.name, p.category]));
    const cats = col(demo.orderLines, 'category');
    expect((col(demo.orderLines, 'product') as string[]).every((p, i) => known.get(p) === cats[i])).toBe(true);
  });

  it('feedback: known customers, in the window, ratings 1–5 whose text sentiment follows', () => {
    const ids = new Set(nums(demo.customers, 'customer_id'));
    expect(nums(demo.feedback, 'customer_id').every((c) => ids.has(c))).toBe(true);
    expect((col(demo.feedback, 'date') as Date[]).every(inWindow)).toBe(true);
    const ratings = nums(demo.feedback, 'rating');
    expect(ratings.every((r) => Number.isInteger(r) && r >= 1 && r <= 5)).toBe(true);
    expect(new Set(ratings).size).toBe(5);
    const texts = col(demo.feedback, 'text') as (string | null)[];
    const negative = /terrible|worst|awful|disappointed|poor quality|never ordering/i;
    const positive = /love|excellent|great quality|five stars|highly recommended/i;
    texts.forEach((t, i) => {
      if (t === null) return;
      if (ratings[i] >= 4) expect(t).not.toMatch(negative);
      if (ratings[i] <= 2) expect(t).not.toMatch(positive);
    });
  });

  it('has the planted cleaning faults at the stated rates', () => {
    const region = col(demo.customers, 'region') as (string | null)[];
    const dirty = region.filter((r) => r === null || !REGIONS.includes(r)).length / region.length;
    const { regionVariant, regionBlank, regionNull, ageMissing } = demo.truth.dirt;
    expect(dirty).toBeCloseTo(regionVariant + regionBlank + regionNull, 1);
    expect(region).toContain('');
    expect(region.some((r) => r !== null && r !== '' && !REGIONS.includes(r) && REGIONS.includes(r.trim()))).toBe(true);
    // A dirty cell still means its canonical region (case and spaces aside, or a known typo).
    region.forEach((r, i) => {
      if (r && REGIONS.includes(r.trim()[0].toUpperCase() + r.trim().slice(1).toLowerCase())) {
        expect(r.trim().toLowerCase()).toBe(demo.truth.customers.canonicalRegion[i].toLowerCase());
      }
    });
    const ages = col(demo.customers, 'age') as (number | null)[];
    expect(ages.filter((a) => a === null).length / ages.length).toBeCloseTo(ageMissing, 1);
    expect(ages.every((a) => a === null || (a >= 18 && a <= 90))).toBe(true);
    expect((col(demo.customers, 'email') as string[]).every((e) => /^[a-z.]+\d+@example\.com$/.test(e))).toBe(true);
  });

  it('plants the basket rules: spaghetti → tomato pasta sauce has lift > 2', () => {
    const baskets = new Map<number, Set<string>>();
    const products = col(demo.orderLines, 'product') as string[];
    nums(demo.orderLines, 'order_id').forEach((o, i) => {
      if (!baskets.has(o)) baskets.set(o, new Set());
      baskets.get(o)!.add(products[i]);
    });
    const all = [...baskets.values()];
    const share = (f: (b: Set<string>) => boolean) => all.filter(f).length / all.length;
    for (const rule of AFFINITIES.filter((a) => a.probability >= 0.5)) {
      const support = share((b) => b.has(rule.antecedent));
      if (support < 0.02) continue; // too rare in 2000 customers to measure
      const confidence = share((b) => b.has(rule.antecedent) && b.has(rule.consequent)) / support;
      const lift = confidence / share((b) => b.has(rule.consequent));
      expect(lift, `${rule.antecedent} → ${rule.consequent}`).toBeGreaterThan(2);
      expect(confidence).toBeGreaterThanOrEqual(rule.probability - 0.1);
    }
  });
});

/**
 * Parameter recovery by closed forms (no model fit): with the customers' T known,
 * - BG/NBD P(X(T) = 0) = (α/(α+T))^r (no drop-out before the first repeat purchase), and
 *   E[X(T)] = (a+b−1)/(a−1) · [1 − (α/(α+T))^r · 2F1(r, b; a+b−1; T/(α+T))]
 *   (Fader, Hardie & Lee 2005, eq. 7), averaged over customers;
 * - Gamma-Gamma E[z] = p·γ/(q−1) (Fader & Hardie 2013), and the pooled within-customer
 *   variance of log z is ψ′(p), whatever each customer's ν.
 * Tolerances are about 4 standard errors at these sizes (checked over seeds 1–8).
 */
describe('generateCrmDemo recovers its known parameters', () => {
  const cases: [string, CrmDemoOptions, { share: number; rel: number }][] = [
    ['demo defaults', { customers: 10_000, seed: 7 }, { share: 0.02, rel: 0.06 }],
    ['other parameters', { customers: 5000, seed: 3, bgnbd: { r: 2, alpha: 15, a: 1.5, b: 4 }, gammaGamma: { p: 3, q: 5, gamma: 100 } }, { share: 0.025, rel: 0.08 }],
  ];
  it.each(cases)('%s', (_, options, tol) => {
    const d: CrmDemo = generateCrmDemo(options);
    const { r, alpha, a, b } = d.truth.bgnbd;
    const { p, q, gamma } = d.truth.gammaGamma;
    const { T, x, lambda, dropout } = d.truth.customers;

    expect(mean(lambda) / (r / alpha) - 1).toBeCloseTo(0, 1);
    expect(mean(dropout)).toBeCloseTo(a / (a + b), 1);

    const noRepeat = x.filter((v) => v === 0).length / x.length;
    const expectedNoRepeat = mean(T.map((t) => Math.pow(alpha / (alpha + t), r)));
    expect(Math.abs(noRepeat - expectedNoRepeat)).toBeLessThan(tol.share);

    const expectedRepeats = mean(T.map((t) => ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)))));
    expect(Math.abs(mean(x) / expectedRepeats - 1)).toBeLessThan(tol.rel);

    const amount = nums(d.orders, 'amount');
    expect(d.truth.meanSpend).toBeCloseTo((p * gamma) / (q - 1), 9);
    expect(Math.abs(mean(amount) / d.truth.meanSpend - 1)).toBeLessThan(tol.rel);

    const logs = new Map<number, number[]>();
    nums(d.orders, 'customer_id').forEach((c, i) => {
      if (!logs.has(c)) logs.set(c, []);
      logs.get(c)!.push(Math.log(amount[i]));
    });
    let ss = 0;
    let dof = 0;
    for (const v of logs.values()) {
      const m = mean(v);
      for (const y of v) ss += (y - m) ** 2;
      dof += v.length - 1;
    }
    expect(Math.abs(ss / dof / trigamma(p) - 1)).toBeLessThan(tol.rel);
  });
});
