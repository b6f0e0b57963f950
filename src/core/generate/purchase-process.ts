import type { Rng } from '../random';

/**
 * The buy-till-you-die process behind the demo orders.
 *
 * Timing follows BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
 * Science 24(2)): while alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α)
 * (shape r, rate α, time in weeks); after each repeat purchase they drop out for good with
 * probability p ~ Beta(a, b). The first purchase happens at time 0 and is not followed by a
 * drop-out draw, as in the paper (its likelihood has no drop-out before the first repeat).
 *
 * Spend follows Gamma-Gamma (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"):
 * each customer has ν ~ Gamma(q, γ) (shape q, rate γ) and each of their transactions is
 * z ~ Gamma(p, ν) (shape p, rate ν), so E[z] = p·γ/(q − 1) across customers. Here every
 * transaction, the first included, takes a Gamma-Gamma value.
 */

/** BG/NBD parameters; time unit weeks, so α is in weeks and λ in purchases per week. */
export interface BgNbdParams {
  /** Shape of the purchase-rate distribution λ ~ Gamma(r, α). */
  r: number;
  /** Rate (weeks) of the purchase-rate distribution; E[λ] = r/α per week. */
  alpha: number;
  /** Beta(a, b) of the drop-out probability p; E[p] = a/(a+b). */
  a: number;
  b: number;
}

/** Gamma-Gamma spend parameters (USD): z ~ Gamma(p, ν), ν ~ Gamma(q, γ). */
export interface GammaGammaParams {
  /** Shape of each transaction's value given ν. */
  p: number;
  /** Shape of ν across customers (must exceed 1 for a finite mean spend). */
  q: number;
  /** Rate of ν across customers (USD); E[z] = p·γ/(q − 1). */
  gamma: number;
}

/**
 * Demo defaults (weeks): E[λ] = r/α = 0.075 purchases a week (≈ 3.9 a year) for an active
 * customer, heterogeneous (CV 1/√r ≈ 1.15); mean drop-out chance a/(a+b) ≈ 24% per repeat
 * purchase. Over a two-year window with uniform sign-ups this gives ≈ 3.1 orders per customer,
 * ≈ 68% of customers with a repeat purchase and ≈ 65% still alive at the end.
 */
export const DEFAULT_BG_NBD: BgNbdParams = { r: 0.75, alpha: 10, a: 0.8, b: 2.5 };

/** Demo defaults: E[z] = p·γ/(q − 1) = 6·30/(4 − 1) = 60 USD per order; within-customer CV 1/√6 ≈ 0.41. */
export const DEFAULT_GAMMA_GAMMA: GammaGammaParams = { p: 6, q: 4, gamma: 30 };

/** One customer's simulated history. Times are weeks since their first purchase. */
export interface CustomerHistory {
  /** Purchase rate λ (per week) while alive. */
  lambda: number;
  /** Drop-out probability p after each repeat purchase. */
  dropout: number;
  /** Spend rate ν (per USD): this customer's mean order value is p/ν. */
  nu: number;
  /** Purchase times in weeks since the first purchase; the first is 0. */
  times: number[];
  /** Order values (USD, unrounded), parallel to `times`. */
  amounts: number[];
  /** Whether the customer is still alive at the end of the window (T). */
  alive: boolean;
}

/** Expected order value across customers, p·γ/(q − 1) USD (Fader & Hardie 2013, eq. 4). */
export function meanSpend(gg: GammaGammaParams): number {
  return (gg.p * gg.gamma) / (gg.q - 1);
}

/**
 * Simulates one customer observed for `T` weeks after their first purchase: λ, p and ν drawn
 * from the population, then purchases until T or drop-out.
 */
export function simulateCustomer(rng: Rng, T: number, bg: BgNbdParams, gg: GammaGammaParams): CustomerHistory {
  const lambda = rng.gamma(bg.r, 1 / bg.alpha);
  const dropout = rng.beta(bg.a, bg.b);
  const nu = rng.gamma(gg.q, 1 / gg.gamma);
  const times = [0];
  let alive = true;
  let t = 0;
  for (;;) {
    t += rng.exponential(lambda);
    if (!(t <= T)) break;
    times.push(t);
    if (rng.next() < dropout) {
      alive = false;
      break;
    }
  }
  const amounts = times.map(() => rng.gamma(gg.p, 1 / nu));
  return { lambda, dropout, nu, times, amounts, alive };
}
