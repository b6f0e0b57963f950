import type { Rng } from '../random';

/**
 * Templated review sentences whose sentiment follows the star rating, for the demo feedback
 * table (and later text and sentiment demos). `{product}` and `{category}` are filled from the
 * reviewed order.
 */
const OPENERS: Record<number, readonly string[]> = {
  1: [
    'Terrible experience, the {product} arrived broken.',
    'Worst service ever and I want a refund.',
    'Never ordering again: wrong items and no answer from support.',
    'Awful quality, the {product} fell apart after one use.',
  ],
  2: [
    'Disappointed with the {product}.',
    'Delivery was late and customer service was slow to reply.',
    'Poor quality for the price, not worth it.',
    'Half of my {category} order was missing.',
  ],
  3: [
    'The {product} was okay, nothing special.',
    'Average experience overall.',
    'Decent prices but the packaging was damaged.',
    'Fine, although delivery took longer than expected.',
  ],
  4: [
    'Good {product}, arrived on time.',
    'Happy with my order overall.',
    'Nice selection in {category}.',
    'Solid quality and a fair price.',
  ],
  5: [
    'Absolutely love the {product}!',
    'Excellent service, my order arrived early.',
    'Great quality across {category}, will buy again.',
    'Five stars: fast delivery and everything was perfect.',
  ],
};

const FOLLOW_UPS: Record<number, readonly string[]> = {
  1: ['Very unhappy.', 'Do not recommend.', 'Complete waste of money.'],
  2: ['Expected better.', 'Might not order again.', 'Support was not helpful.'],
  3: ['It does the job.', 'Could be better.', 'Nothing to complain about, nothing to praise.'],
  4: ['Would recommend.', 'Delivery could be a little faster.', 'Will order again.'],
  5: ['Highly recommended!', 'Best shop around.', 'Thank you so much!'],
};

const RETURN_NOTES = ['I had to send it back.', 'Returned it for a refund.', 'Sent it back, it did not match the description.'];

/**
 * One review text for a rating 1–5: an opener of that sentiment, sometimes a follow-up of the
 * same sentiment, and a note when the order was returned.
 */
export function reviewText(rng: Rng, rating: number, product: string, category: string, returned: boolean): string {
  const openers = OPENERS[rating];
  const parts = [openers[rng.int(openers.length)].replace('{product}', product.toLowerCase()).replace('{category}', category.toLowerCase())];
  if (rng.next() < 0.4) {
    const follow = FOLLOW_UPS[rating];
    parts.push(follow[rng.int(follow.length)]);
  }
  if (returned) parts.push(RETURN_NOTES[rng.int(RETURN_NOTES.length)]);
  return parts.join(' ');
}
