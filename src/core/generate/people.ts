import type { Rng } from '../random';
import { pickWeighted } from './catalog';

/**
 * Who the demo customers are: names, genders, ages, regions and cities, including the small
 * data-quality faults an analyst cleans in the demo (misspelled or blank regions, missing ages).
 */

const FIRST_FEMALE = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Lisa', 'Nancy', 'Sandra', 'Ashley', 'Emily', 'Donna', 'Michelle', 'Amanda', 'Melissa', 'Laura',
  'Olivia', 'Emma', 'Sofia', 'Chloe', 'Grace', 'Hannah', 'Maria', 'Ana', 'Fatima', 'Aisha',
];
const FIRST_MALE = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian',
  'Liam', 'Noah', 'Lucas', 'Ethan', 'Omar', 'Ali', 'Carlos', 'Diego', 'Wei', 'Hiroshi',
];
const FIRST_NEUTRAL = ['Alex', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Robin'];
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', "O'Brien",
];

/** The four clean region names. */
export const REGIONS: readonly string[] = ['North', 'South', 'East', 'West'];

/** Relative size of each region's customer base (parallel to {@link REGIONS}). */
const REGION_WEIGHTS = [30, 25, 25, 20];

/** Cities of each region (parallel to {@link REGIONS}); the first is the largest. */
export const CITIES: readonly (readonly string[])[] = [
  ['Northport', 'Lakeside', 'Pinecrest', 'Frostburg', 'Elk Ridge'],
  ['Southbay', 'Palm Grove', 'Riverton', 'Magnolia', 'Sunvale'],
  ['Eastfield', 'Harborview', 'Maplewood', 'Brookline', 'Seacliff'],
  ['Westhaven', 'Canyon City', 'Redrock', 'Goldfield', 'Sierra Vista'],
];

/**
 * How a region is written in a dirty export: each clean name's misspelled or mis-cased variants.
 * An empty string is a blank cell.
 */
export const REGION_VARIANTS: Record<string, readonly string[]> = {
  North: ['north', 'North ', 'NORTH', 'Nrth'],
  South: ['south', 'Soth', ' South'],
  East: ['east', 'East ', 'EAST'],
  West: ['west', 'Wets', 'WEST'],
};

/** One generated person. `region` is what the export shows; `canonicalRegion` is the truth. */
export interface Person {
  name: string;
  email: string;
  gender: 'F' | 'M' | 'X' | null;
  age: number | null;
  region: string | null;
  canonicalRegion: string;
  city: string;
}

/** Share of customers whose region is written dirty (variant 6%, blank 2%, null 1%). */
export const DIRTY_REGION_SHARE = { variant: 0.06, blank: 0.02, missing: 0.01 };

/** Share of customers whose age is missing. */
export const MISSING_AGE_SHARE = 0.03;

/**
 * A plausible person: gender F 49% / M 48% / X 2% / unknown 1%; age ≈ N(42, 14) clamped to
 * 18–90 (3% missing); region by customer-base weights with the faults of {@link DIRTY_REGION_SHARE};
 * city from the region's list, larger cities likelier; e-mail `first.last{n}@example.com`.
 */
export function makePerson(rng: Rng, id: number): Person {
  const g = rng.next();
  const gender: Person['gender'] = g < 0.49 ? 'F' : g < 0.97 ? 'M' : g < 0.99 ? 'X' : null;
  const pool = gender === 'F' ? FIRST_FEMALE : gender === 'M' ? FIRST_MALE : FIRST_NEUTRAL;
  const first = pool[rng.int(pool.length)];
  const last = LAST[rng.int(LAST.length)];
  const age = rng.next() < MISSING_AGE_SHARE ? null : Math.round(Math.min(90, Math.max(18, 42 + 14 * rng.normal())));
  const r = pickWeighted(REGION_WEIGHTS, rng.next());
  const canonicalRegion = REGIONS[r];
  const cities = CITIES[r];
  const city = cities[pickWeighted([5, 3, 2, 1.5, 1], rng.next())];
  const d = rng.next();
  let region: string | null = canonicalRegion;
  if (d < DIRTY_REGION_SHARE.variant) {
    const variants = REGION_VARIANTS[canonicalRegion];
    region = variants[rng.int(variants.length)];
  } else if (d < DIRTY_REGION_SHARE.variant + DIRTY_REGION_SHARE.blank) region = '';
  else if (d < DIRTY_REGION_SHARE.variant + DIRTY_REGION_SHARE.blank + DIRTY_REGION_SHARE.missing) region = null;
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  return { name: `${first} ${last}`, email: `${local}${id}@example.com`, gender, age, region, canonicalRegion, city };
}
