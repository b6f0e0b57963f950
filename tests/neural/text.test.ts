import { describe, expect, it } from 'vitest';
import { buildVocabulary, encodeTexts, OOV_ID, PAD_ID, tokenize } from '../../src/neural/text';

describe('text vectorization', () => {
  it('lowercases, drops markup and punctuation, keeps inner apostrophes', () => {
    expect(tokenize('I LOVE it!<br />Don\'t buy... 2 bags')).toEqual(['i', 'love', 'it', "don't", 'buy', '2', 'bags']);
  });

  it('keeps the most frequent training tokens, ties alphabetically, with padding and unknown first', () => {
    const v = buildVocabulary(['b a a', 'c b a', 'd'], { maxTokens: 5, sequenceLength: 4 });
    expect(v.tokens).toEqual(['', '[UNK]', 'a', 'b', 'c']);
  });

  it('pads and truncates to the sequence length, unknown words as 1', () => {
    const v = buildVocabulary(['good good tea'], { maxTokens: 10, sequenceLength: 3 });
    const ids = encodeTexts(['tea is good', 'good tea good tea'], v);
    expect(Array.from(ids)).toEqual([v.tokens.indexOf('tea'), OOV_ID, v.tokens.indexOf('good'), 2, 3, 2]);
    expect(Array.from(encodeTexts([''], v))).toEqual([PAD_ID, PAD_ID, PAD_ID]);
  });

  it('refuses a vocabulary with no room for words', () => {
    expect(() => buildVocabulary(['a'], { maxTokens: 2 })).toThrow(/room/);
  });
});
