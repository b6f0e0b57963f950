/**
 * The demo shop's product catalog: 150 products in 10 categories with list prices (USD), and the
 * product affinities that plant association rules in the generated baskets (spaghetti → tomato
 * pasta sauce, diapers → baby wipes…). Shared by the CRM demo and the flat benchmark table.
 */

/** One product: its name, category, list price (USD) and index in {@link PRODUCTS}. */
export interface Product {
  index: number;
  name: string;
  category: string;
  /** List price in USD. */
  price: number;
}

/** A planted basket rule: when `antecedent` is in a basket, `consequent` is added with `probability`. */
export interface ProductAffinity {
  antecedent: string;
  consequent: string;
  /** Chance (0–1) that the consequent joins a basket holding the antecedent. */
  probability: number;
}

// "Name|price" per product; order within a category is popularity (first = best seller).
const RAW: Record<string, string[]> = {
  Pantry: [
    'Spaghetti 500g|1.49', 'Penne 500g|1.49', 'Tomato Pasta Sauce|2.79', 'Pesto Genovese|3.29', 'Basmati Rice 1kg|2.99',
    'Olive Oil 750ml|7.99', 'Plain Flour 1kg|1.09', 'Sugar 1kg|1.19', 'Canned Tomatoes 400g|0.89', 'Chickpeas 400g|0.99',
    'Peanut Butter 340g|2.89', 'Strawberry Jam 340g|2.49', 'Rolled Oats 1kg|2.19', 'Honey 450g|4.49', 'Breakfast Cereal 500g|3.49',
  ],
  Beverages: [
    'Ground Coffee 250g|4.99', 'Coffee Beans 1kg|14.99', 'Black Tea 80 bags|3.49', 'Green Tea 40 bags|2.99', 'Orange Juice 1L|2.49',
    'Apple Juice 1L|1.99', 'Sparkling Water 6x1L|3.29', 'Still Water 6x1.5L|2.59', 'Cola 6x330ml|4.29', 'Lemonade 1.5L|1.79',
    'Red Wine 750ml|8.99', 'White Wine 750ml|8.49', 'Lager 6x330ml|6.99', 'Oat Milk 1L|1.89', 'Energy Drink 4x250ml|4.99',
  ],
  Snacks: [
    'Potato Chips 150g|1.79', 'Tortilla Chips 200g|1.99', 'Salsa Dip 300g|2.29', 'Guacamole 200g|2.99', 'Salted Peanuts 200g|1.59',
    'Chocolate Bar 100g|1.29', 'Chocolate Cookies 200g|2.19', 'Granola Bars 6-pack|2.99', 'Popcorn 100g|1.49', 'Pretzels 200g|1.39',
    'Trail Mix 300g|3.99', 'Rice Cakes 130g|1.29', 'Gummy Bears 200g|1.49', 'Crackers 250g|1.69', 'Hummus 200g|1.99',
  ],
  Fresh: [
    'Whole Milk 1L|1.09', 'Butter 250g|2.29', 'Eggs 12-pack|3.19', 'Cheddar 400g|3.99', 'Parmesan 200g|4.49',
    'Greek Yogurt 500g|2.49', 'Sourdough Bread|2.79', 'Bananas 1kg|1.29', 'Apples 1kg|2.19', 'Tomatoes 500g|1.69',
    'Avocados 2-pack|2.49', 'Chicken Breast 500g|5.49', 'Ground Beef 500g|4.99', 'Salmon Fillet 300g|6.99', 'Lettuce|0.99',
  ],
  Household: [
    'Laundry Detergent 2L|8.99', 'Fabric Softener 1.5L|3.49', 'Dish Soap 500ml|1.99', 'Dishwasher Tablets 40|7.99', 'Paper Towels 4 rolls|4.49',
    'Toilet Paper 9 rolls|5.99', 'Trash Bags 30|3.29', 'All-Purpose Cleaner 1.5L|2.79', 'Sponges 5-pack|1.89', 'Glass Cleaner 500ml|2.49',
    'Aluminium Foil 30m|1.99', 'Cling Film 30m|1.79', 'LED Light Bulbs 4-pack|6.99', 'AA Batteries 8-pack|5.99', 'Air Freshener|2.99',
  ],
  'Personal Care': [
    'Shampoo 400ml|3.99', 'Conditioner 400ml|3.99', 'Shower Gel 250ml|2.49', 'Toothpaste 75ml|1.99', 'Toothbrush 2-pack|3.49',
    'Deodorant 150ml|2.99', 'Hand Soap 300ml|1.79', 'Body Lotion 400ml|4.99', 'Razor Blades 8-pack|12.99', 'Shaving Foam 200ml|2.79',
    'Sunscreen SPF50|8.99', 'Face Cream 50ml|9.99', 'Cotton Pads 80|1.49', 'Lip Balm|2.29', 'Dental Floss 50m|2.49',
  ],
  Baby: [
    'Diapers Size 3|11.99', 'Baby Wipes 3-pack|5.49', 'Infant Formula 800g|17.99', 'Baby Food Pouch|1.29', 'Baby Shampoo 300ml|3.99',
    'Diaper Cream 100ml|4.49', 'Baby Bottle 260ml|6.99', 'Pacifier 2-pack|5.99', 'Teething Toy|7.99', 'Baby Lotion 300ml|4.29',
    'Sippy Cup|6.49', 'Bibs 3-pack|8.99', 'Baby Socks 5-pack|7.49', 'Nursing Pads 60|5.99', 'Baby Blanket|19.99',
  ],
  Pet: [
    'Dry Dog Food 10kg|29.99', 'Wet Dog Food 12-pack|14.99', 'Dog Treats 500g|4.99', 'Dog Chew Toy|6.99', 'Dry Cat Food 4kg|17.99',
    'Wet Cat Food 12-pack|9.99', 'Cat Litter 10L|8.99', 'Cat Treats 60g|2.99', 'Cat Scratcher|14.99', 'Pet Shampoo 250ml|7.49',
    'Poop Bags 120|5.49', 'Dog Leash|12.99', 'Pet Bed Medium|34.99', 'Fish Flakes 100g|4.49', 'Bird Seed 2kg|6.99',
  ],
  Electronics: [
    'USB-C Cable 1m|9.99', 'Phone Charger 20W|19.99', 'Wireless Earbuds|49.99', 'Bluetooth Speaker|39.99', 'Phone Case|14.99',
    'Screen Protector|9.99', 'Power Bank 10000mAh|29.99', 'HDMI Cable 2m|8.99', 'Wireless Mouse|24.99', 'Keyboard|39.99',
    'Printer Ink Black|24.99', 'Printer Paper 500 sheets|5.99', 'Smart Plug|17.99', 'Over-Ear Headphones|79.99', 'Tablet 10-inch|199.99',
  ],
  'Home & Kitchen': [
    'Frying Pan 28cm|29.99', 'Saucepan 2L|24.99', "Chef's Knife|34.99", 'Cutting Board|14.99', 'Mixing Bowl Set|19.99',
    'Coffee Mugs 2-pack|9.99', 'Dinner Plates 4-pack|24.99', 'Wine Glasses 4-pack|19.99', 'Bath Towel|12.99', 'Bed Sheets Queen|39.99',
    'Pillow|19.99', 'Scented Candle|9.99', 'Storage Boxes 3-pack|16.99', 'Electric Kettle|29.99', 'Toaster 2-slice|34.99',
  ],
};

/** The 10 category names, in catalog order. */
export const CATEGORIES: readonly string[] = Object.keys(RAW);

/** How often a category is a shopper's favourite (relative weights, catalog order). */
export const CATEGORY_WEIGHTS: readonly number[] = [14, 11, 11, 14, 9, 9, 3, 4, 8, 7];

/** All 150 products, grouped by category in {@link CATEGORIES} order. */
export const PRODUCTS: readonly Product[] = CATEGORIES.flatMap((category) =>
  RAW[category].map((entry) => {
    const [name, price] = entry.split('|');
    return { name, category, price: Number(price) };
  }),
).map((p, index) => ({ ...p, index }));

/** Product indices of each category, in popularity order (parallel to {@link CATEGORIES}). */
export const PRODUCTS_BY_CATEGORY: readonly (readonly number[])[] = CATEGORIES.map((c) =>
  PRODUCTS.filter((p) => p.category === c).map((p) => p.index),
);

/** The planted basket rules (the ground truth that association-rule mining should find). */
export const AFFINITIES: readonly ProductAffinity[] = [
  ['Spaghetti 500g', 'Tomato Pasta Sauce', 0.6],
  ['Spaghetti 500g', 'Parmesan 200g', 0.35],
  ['Penne 500g', 'Pesto Genovese', 0.45],
  ['Tortilla Chips 200g', 'Salsa Dip 300g', 0.55],
  ['Tortilla Chips 200g', 'Guacamole 200g', 0.35],
  ['Potato Chips 150g', 'Cola 6x330ml', 0.3],
  ['Lager 6x330ml', 'Salted Peanuts 200g', 0.35],
  ['Ground Coffee 250g', 'Whole Milk 1L', 0.35],
  ['Coffee Beans 1kg', 'Oat Milk 1L', 0.3],
  ['Sourdough Bread', 'Butter 250g', 0.4],
  ['Red Wine 750ml', 'Cheddar 400g', 0.3],
  ['Diapers Size 3', 'Baby Wipes 3-pack', 0.65],
  ['Infant Formula 800g', 'Baby Bottle 260ml', 0.25],
  ['Dry Dog Food 10kg', 'Dog Treats 500g', 0.5],
  ['Dry Cat Food 4kg', 'Cat Litter 10L', 0.45],
  ['Wet Cat Food 12-pack', 'Cat Treats 60g', 0.3],
  ['Shampoo 400ml', 'Conditioner 400ml', 0.6],
  ['Toothbrush 2-pack', 'Toothpaste 75ml', 0.5],
  ['Razor Blades 8-pack', 'Shaving Foam 200ml', 0.5],
  ['Laundry Detergent 2L', 'Fabric Softener 1.5L', 0.5],
  ['Printer Ink Black', 'Printer Paper 500 sheets', 0.55],
  ['Phone Case', 'Screen Protector', 0.5],
  ['Phone Charger 20W', 'USB-C Cable 1m', 0.4],
  ['Frying Pan 28cm', "Chef's Knife", 0.25],
].map(([antecedent, consequent, probability]) => ({ antecedent: String(antecedent), consequent: String(consequent), probability: Number(probability) }));

const byName = new Map(PRODUCTS.map((p) => [p.name, p.index]));

/** Consequent product indices (with their probabilities) for each product index. */
export const AFFINITY_INDEX: readonly (readonly { product: number; probability: number }[])[] = PRODUCTS.map((p) =>
  AFFINITIES.filter((a) => a.antecedent === p.name).map((a) => {
    const product = byName.get(a.consequent);
    if (product === undefined) throw new Error(`affinity names an unknown product: ${a.consequent}`);
    return { product, probability: a.probability };
  }),
);

/**
 * Picks a product of a category by popularity: weight 1/(rank+1)^0.8, so the best seller is
 * about 9× as likely as the 15th. `u` is a uniform draw in [0, 1).
 */
export function pickByPopularity(category: number, u: number): number {
  const items = PRODUCTS_BY_CATEGORY[category];
  const weights = POPULARITY_CUMULATIVE[category];
  const target = u * weights[weights.length - 1];
  let i = 0;
  while (i < weights.length - 1 && weights[i] <= target) i++;
  return items[i];
}

const POPULARITY_CUMULATIVE: readonly number[][] = PRODUCTS_BY_CATEGORY.map((items) => {
  let sum = 0;
  return items.map((_, rank) => (sum += 1 / Math.pow(rank + 1, 0.8)));
});

/** Picks an index from relative weights; `u` is a uniform draw in [0, 1). */
export function pickWeighted(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let target = u * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}
