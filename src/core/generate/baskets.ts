import type { Rng } from '../random';
import { AFFINITY_INDEX, CATEGORY_WEIGHTS, PRODUCTS, PRODUCTS_BY_CATEGORY, pickByPopularity, pickWeighted } from './catalog';

/** One line of an order: a product (index into PRODUCTS), how many, and the price paid per unit (USD). */
export interface BasketLine {
  product: number;
  quantity: number;
  /** Price paid per unit in USD: the list price times the order's price factor, rounded to cents. */
  unitPrice: number;
}

/** Most distinct products in one generated order. */
export const MAX_LINES = 12;

/** Share of picks made from the shopper's favourite categories (the rest follow CATEGORY_WEIGHTS). */
const FAVOURITE_SHARE = 0.7;

const round2 = (x: number): number => Math.round(x * 100) / 100;

function quantityFor(rng: Rng, price: number): number {
  if (price < 3) return rng.next() < 0.35 ? 2 + rng.int(2) : 1;
  if (price < 10) return rng.next() < 0.15 ? 2 : 1;
  return 1;
}

/**
 * Fills a basket whose lines add up to an order amount that was drawn first (Gamma-Gamma).
 *
 * Products are picked by popularity from the shopper's `favourites` (70%) or any category; each
 * pick may pull in its planted affinity partners (catalog AFFINITIES), so association rules such
 * as spaghetti → tomato pasta sauce hold in the data. Picking stops once the list-price total
 * reaches 90% of `amount` (or at {@link MAX_LINES}); a short basket has its quantities scaled up.
 * Every unit price is then the list price times one per-order factor f = amount / list total
 * (a promotion when f < 1, a surcharge when f > 1; typically 0.8–1.3), rounded to cents, so
 * Σ quantity × unitPrice equals `amount` to within half a cent per unit.
 */
export function buildBasket(rng: Rng, amount: number, favourites: readonly number[]): BasketLine[] {
  const products: number[] = [];
  const quantities: number[] = [];
  const inBasket = new Set<number>();
  let total = 0;
  const add = (product: number, quantity: number): void => {
    products.push(product);
    quantities.push(quantity);
    inBasket.add(product);
    total += quantity * PRODUCTS[product].price;
  };
  const pickCategory = (): number =>
    rng.next() < FAVOURITE_SHARE ? favourites[rng.int(favourites.length)] : pickWeighted(CATEGORY_WEIGHTS, rng.next());
  const pickFitting = (budget: number): number => {
    for (let tries = 0; tries < 8; tries++) {
      const p = pickByPopularity(pickCategory(), rng.next());
      if (!inBasket.has(p) && PRODUCTS[p].price <= budget) return p;
    }
    return -1;
  };
  const addWithPartners = (product: number): void => {
    add(product, quantityFor(rng, PRODUCTS[product].price));
    for (const partner of AFFINITY_INDEX[product]) {
      const fits = total + PRODUCTS[partner.product].price <= 1.3 * amount;
      if (rng.next() < partner.probability && fits && !inBasket.has(partner.product) && products.length < MAX_LINES) add(partner.product, 1);
    }
  };

  let first = pickFitting(1.1 * amount);
  if (first < 0) {
    // Nothing small enough came up: take the cheapest product of a favourite category.
    const items = PRODUCTS_BY_CATEGORY[favourites[0]];
    first = items.reduce((best, p) => (PRODUCTS[p].price < PRODUCTS[best].price ? p : best), items[0]);
  }
  addWithPartners(first);
  while (total < 0.9 * amount && products.length < MAX_LINES) {
    const next = pickFitting(1.15 * amount - total);
    if (next < 0) break;
    addWithPartners(next);
  }
  if (total < 0.9 * amount) {
    const scale = amount / total;
    total = 0;
    for (let i = 0; i < products.length; i++) {
      quantities[i] = Math.max(1, Math.round(quantities[i] * scale));
      total += quantities[i] * PRODUCTS[products[i]].price;
    }
  }
  const factor = amount / total;
  return products.map((product, i) => ({ product, quantity: quantities[i], unitPrice: round2(PRODUCTS[product].price * factor) }));
}
