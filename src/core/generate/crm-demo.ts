import { AppError } from '../errors';
import type { ValueColumn } from '../formats/arrow-build';
import type { Rng } from '../random';
import { buildBasket, type BasketLine } from './baskets';
import { AFFINITIES, CATEGORY_WEIGHTS, PRODUCTS, pickWeighted, type ProductAffinity } from './catalog';
import { reviewText } from './feedback-text';
import { streamRng } from './streams';
import { DIRTY_REGION_SHARE, MISSING_AGE_SHARE, makePerson } from './people';
import {
  DEFAULT_BG_NBD,
  DEFAULT_GAMMA_GAMMA,
  meanSpend,
  simulateCustomer,
  type BgNbdParams,
  type GammaGammaParams,
} from './purchase-process';

/** Milliseconds in a week: the time unit of the BG/NBD parameters. */
export const WEEK_MS = 7 * 24 * 3600 * 1000;

/** What to generate; every field has a default. */
export interface CrmDemoOptions {
  /** Number of customers (default 2000). */
  customers?: number;
  /** Seed of every random choice (default 42): the same seed gives identical tables. */
  seed?: number;
  /** Start of the observation window (default 2023-01-01T00:00Z); sign-ups are uniform from here. */
  start?: Date;
  /** End of the window (default 2024-12-31T00:00Z, exclusive): nothing is dated at or after it. */
  end?: Date;
  /** BG/NBD parameters in weeks (defaults {@link DEFAULT_BG_NBD}). */
  bgnbd?: Partial<BgNbdParams>;
  /** Gamma-Gamma spend parameters in USD (defaults {@link DEFAULT_GAMMA_GAMMA}). */
  gammaGamma?: Partial<GammaGammaParams>;
}

/**
 * The parameters and latent values the data was drawn from: the ground truth for CRM tests.
 * Per-customer arrays are indexed by customer_id − 1.
 */
export interface CrmDemoTruth {
  timeUnit: 'weeks';
  start: Date;
  end: Date;
  /** Window length in weeks. */
  weeks: number;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Expected order value across customers, p·γ/(q − 1) USD. */
  meanSpend: number;
  customers: {
    /** Purchase rate λ per week. */
    lambda: number[];
    /** Drop-out probability after each repeat purchase. */
    dropout: number[];
    /** Gamma-Gamma ν: the customer's mean order value is p/ν USD. */
    nu: number[];
    /** Still alive at `end`. */
    alive: boolean[];
    /** BG/NBD x: number of repeat purchases (orders − 1). */
    x: number[];
    /** BG/NBD t_x: weeks from the first to the last purchase. */
    tx: number[];
    /** BG/NBD T: weeks from the first purchase to `end`. */
    T: number[];
    /** The region before it was written dirty (North/South/East/West). */
    canonicalRegion: string[];
  };
  /** Planted basket rules (see catalog.ts). */
  affinities: readonly ProductAffinity[];
  /** Shares of region cells written as a variant, blank or null; share of missing ages. */
  dirt: { regionVariant: number; regionBlank: number; regionNull: number; ageMissing: number };
}

/** The demo CRM dataset: four related tables as columns, plus the truth behind them. */
export interface CrmDemo {
  /** customer_id, name, email, gender, age, region, city, signup_date, plan. */
  customers: ValueColumn[];
  /** order_id, customer_id, order_date, amount, channel, payment, status (sorted by date). */
  orders: ValueColumn[];
  /** order_id, product, category, quantity, unit_price. */
  orderLines: ValueColumn[];
  /** feedback_id, customer_id, date, rating, text (sorted by date). */
  feedback: ValueColumn[];
  truth: CrmDemoTruth;
}

const CHANNELS = ['web', 'app', 'store', 'phone'];
const PAYMENTS: Record<string, [string[], number[]]> = {
  web: [['card', 'paypal', 'gift card'], [60, 32, 8]],
  app: [['card', 'paypal', 'apple pay'], [45, 25, 30]],
  store: [['card', 'cash'], [70, 30]],
  phone: [['card', 'bank transfer'], [75, 25]],
};
const PLANS = ['Basic', 'Plus', 'Premium'];

interface DraftOrder {
  customer: number;
  ms: number;
  amount: number;
  channel: string;
  payment: string;
  status: string;
  lines: BasketLine[];
}

function channelWeights(age: number | null): number[] {
  const a = age ?? 42;
  return [45, a < 35 ? 40 : a < 55 ? 22 : 8, 22, a >= 60 ? 14 : 5];
}

function planOf(rng: Rng, lambda: number, bg: BgNbdParams): string {
  // Frequent buyers lean to paid plans: log of λ over its mean, plus noise.
  const score = Math.log((lambda * bg.alpha) / bg.r + 1e-9) + 0.8 * rng.normal();
  return PLANS[score > 0.9 ? 2 : score > -0.4 ? 1 : 0];
}

function favouriteCategories(rng: Rng): number[] {
  const first = pickWeighted(CATEGORY_WEIGHTS, rng.next());
  let second = first;
  while (second === first) second = pickWeighted(CATEGORY_WEIGHTS, rng.next());
  return [first, second];
}

function utcMidnight(ms: number): Date {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/**
 * Generates the demo CRM dataset: customers with demographics (and cleaning faults), orders whose
 * timing follows BG/NBD (Fader, Hardie & Lee 2005) and values Gamma-Gamma (Fader & Hardie 2013)
 * as described in purchase-process.ts, order lines with planted basket rules, and rated feedback.
 * Time is in weeks; amounts in USD. Pure and deterministic: the same options give identical
 * output. Each customer's first order is at their sign-up instant (uniform in the window).
 */
export function generateCrmDemo(options: CrmDemoOptions = {}): CrmDemo {
  const n = options.customers ?? 2000;
  const seed = options.seed ?? 42;
  const start = options.start ?? new Date('2023-01-01T00:00:00Z');
  const end = options.end ?? new Date('2024-12-31T00:00:00Z');
  const bg: BgNbdParams = { ...DEFAULT_BG_NBD, ...options.bgnbd };
  const gg: GammaGammaParams = { ...DEFAULT_GAMMA_GAMMA, ...options.gammaGamma };
  if (!Number.isInteger(n) || n < 1) throw new AppError('invalid-argument', `customers must be a whole number ≥ 1, not ${n}.`);
  if (!(end.getTime() > start.getTime())) throw new AppError('invalid-argument', `end (${end.toISOString()}) must come after start (${start.toISOString()}).`);
  if (!(gg.q > 1)) throw new AppError('invalid-argument', `Gamma-Gamma q must exceed 1 for a finite mean spend, not ${gg.q}.`);

  const people = streamRng(seed, 1);
  const process = streamRng(seed, 2);
  const baskets = streamRng(seed, 3);
  const habits = streamRng(seed, 4);
  const weeks = (end.getTime() - start.getTime()) / WEEK_MS;

  const customers = { id: [] as number[], name: [] as string[], email: [] as string[], gender: [] as (string | null)[], age: [] as (number | null)[] };
  const place = { region: [] as (string | null)[], city: [] as string[], signup: [] as Date[], plan: [] as string[] };
  const truthCustomers: CrmDemoTruth['customers'] = { lambda: [], dropout: [], nu: [], alive: [], x: [], tx: [], T: [], canonicalRegion: [] };
  const drafts: DraftOrder[] = [];

  for (let c = 0; c < n; c++) {
    const offset = process.next() * weeks;
    const T = weeks - offset;
    const history = simulateCustomer(process, T, bg, gg);
    const firstMs = Math.round((start.getTime() + offset * WEEK_MS) / 1000) * 1000;
    const person = makePerson(people, c + 1);
    customers.id.push(c + 1);
    customers.name.push(person.name);
    customers.email.push(person.email);
    customers.gender.push(person.gender);
    customers.age.push(person.age);
    place.region.push(person.region);
    place.city.push(person.city);
    place.signup.push(utcMidnight(firstMs));
    place.plan.push(planOf(people, history.lambda, bg));
    const t = truthCustomers;
    t.lambda.push(history.lambda);
    t.dropout.push(history.dropout);
    t.nu.push(history.nu);
    t.alive.push(history.alive);
    t.x.push(history.times.length - 1);
    t.tx.push(history.times[history.times.length - 1]);
    t.T.push(T);
    t.canonicalRegion.push(person.canonicalRegion);

    const favourites = favouriteCategories(habits);
    const preferred = CHANNELS[pickWeighted(channelWeights(person.age), habits.next())];
    history.times.forEach((weeksIn, j) => {
      // Orders keep whole seconds; the sub-second shift cannot move one past `end`.
      const ms = Math.min(Math.round((firstMs + weeksIn * WEEK_MS) / 1000) * 1000, end.getTime() - 1000);
      const amount = Math.max(0.01, Math.round(history.amounts[j] * 100) / 100);
      const channel = habits.next() < 0.8 ? preferred : CHANNELS[habits.int(CHANNELS.length)];
      const [names, weights] = PAYMENTS[channel];
      const payment = names[pickWeighted(weights, habits.next())];
      const s = habits.next();
      const status = s < 0.93 ? 'completed' : s < 0.975 ? 'returned' : 'cancelled';
      drafts.push({ customer: c + 1, ms, amount, channel, payment, status, lines: buildBasket(baskets, amount, favourites) });
    });
  }
  // Exports list orders by date; ties (never in practice) keep customer order.
  drafts.sort((x, y) => x.ms - y.ms || x.customer - y.customer);

  return {
    customers: [
      { name: 'customer_id', values: customers.id },
      { name: 'name', values: customers.name },
      { name: 'email', values: customers.email },
      { name: 'gender', values: customers.gender },
      { name: 'age', values: customers.age },
      { name: 'region', values: place.region },
      { name: 'city', values: place.city },
      { name: 'signup_date', values: place.signup },
      { name: 'plan', values: place.plan },
    ],
    orders: [
      { name: 'order_id', values: drafts.map((_, i) => i + 1) },
      { name: 'customer_id', values: drafts.map((d) => d.customer) },
      { name: 'order_date', values: drafts.map((d) => new Date(d.ms)) },
      { name: 'amount', values: drafts.map((d) => d.amount) },
      { name: 'channel', values: drafts.map((d) => d.channel) },
      { name: 'payment', values: drafts.map((d) => d.payment) },
      { name: 'status', values: drafts.map((d) => d.status) },
    ],
    orderLines: orderLineColumns(drafts),
    feedback: feedbackColumns(streamRng(seed, 5), drafts, n, end.getTime()),
    truth: {
      timeUnit: 'weeks',
      start,
      end,
      weeks,
      bgnbd: bg,
      gammaGamma: gg,
      meanSpend: meanSpend(gg),
      customers: truthCustomers,
      affinities: AFFINITIES,
      dirt: { regionVariant: DIRTY_REGION_SHARE.variant, regionBlank: DIRTY_REGION_SHARE.blank, regionNull: DIRTY_REGION_SHARE.missing, ageMissing: MISSING_AGE_SHARE },
    },
  };
}

function orderLineColumns(drafts: DraftOrder[]): ValueColumn[] {
  const orderId: number[] = [];
  const product: string[] = [];
  const category: string[] = [];
  const quantity: number[] = [];
  const unitPrice: number[] = [];
  drafts.forEach((d, i) => {
    for (const line of d.lines) {
      orderId.push(i + 1);
      product.push(PRODUCTS[line.product].name);
      category.push(PRODUCTS[line.product].category);
      quantity.push(line.quantity);
      unitPrice.push(line.unitPrice);
    }
  });
  return [
    { name: 'order_id', values: orderId },
    { name: 'product', values: product },
    { name: 'category', values: category },
    { name: 'quantity', values: quantity },
    { name: 'unit_price', values: unitPrice },
  ];
}

/** Mean star rating before a customer's mood and the order's fate move it. */
const BASE_RATING = 3.9;

/**
 * Reviews of some orders: each customer has a review propensity ~ Beta(1, 6) (mean 14% of
 * orders) and a mood ~ N(0, 1); a review comes 0–14 days after its order (exponential, mean
 * 3 days; none at or after `endMs`); its rating is round(3.9 + 0.7·mood + N(0, 0.8) − 1.8 if the
 * order was returned), clamped to 1–5; 8% of reviews have no text.
 */
function feedbackColumns(rng: Rng, drafts: DraftOrder[], customers: number, endMs: number): ValueColumn[] {
  const propensity = Array.from({ length: customers }, () => rng.beta(1, 6));
  const mood = Array.from({ length: customers }, () => rng.normal());
  const reviews: { customer: number; ms: number; rating: number; text: string | null }[] = [];
  for (const d of drafts) {
    if (d.status === 'cancelled' || rng.next() >= propensity[d.customer - 1]) continue;
    const ms = d.ms + Math.round(Math.min(14, rng.exponential(1 / 3)) * 86_400) * 1000;
    const score = BASE_RATING + 0.7 * mood[d.customer - 1] + 0.8 * rng.normal() - (d.status === 'returned' ? 1.8 : 0);
    const rating = Math.min(5, Math.max(1, Math.round(score)));
    const top = PRODUCTS[d.lines[0].product];
    const text = rng.next() < 0.08 ? null : reviewText(rng, rating, top.name, top.category, d.status === 'returned');
    if (ms < endMs) reviews.push({ customer: d.customer, ms, rating, text });
  }
  reviews.sort((x, y) => x.ms - y.ms || x.customer - y.customer);
  return [
    { name: 'feedback_id', values: reviews.map((_, i) => i + 1) },
    { name: 'customer_id', values: reviews.map((r) => r.customer) },
    { name: 'date', values: reviews.map((r) => new Date(r.ms)) },
    { name: 'rating', values: reviews.map((r) => r.rating) },
    { name: 'text', values: reviews.map((r) => r.text) },
  ];
}
