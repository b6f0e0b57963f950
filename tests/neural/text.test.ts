import { describe, expect, it } from 'vitest';
import { buildVocabulary, encodeTexts, occlusionInputs, OOV_ID, PAD_ID, textTokens, tokenize } from '../../src/neural/text';

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

  it('with word pairs, each word is followed by the pair it starts', () => {
    expect(textTokens('Not good at all', 2)).toEqual(['not', 'not good', 'good', 'good at', 'at', 'at all', 'all']);
    const v = buildVocabulary(['not good', 'not good', 'good'], { maxTokens: 10, sequenceLength: 4, ngrams: 2 });
    expect(v.tokens).toEqual(['', '[UNK]', 'good', 'not', 'not good']);
    expect(Array.from(encodeTexts(['not good'], v))).toEqual([3, 4, 2, PAD_ID]);
  });

  it('occlusion: the text, then one copy per word with that word dropped (pairs re-formed)', () => {
    const v = buildVocabulary(['a b c', 'a c'], { maxTokens: 20, sequenceLength: 6, ngrams: 2 });
    const id = (t: string) => v.tokens.indexOf(t);
    const o = occlusionInputs('A b c', v);
    expect(o.words).toEqual(['a', 'b', 'c']);
    expect(Array.from(o.x)).toEqual([
      id('a'), id('a b'), id('b'), id('b c'), id('c'), PAD_ID,
      id('b'), id('b c'), id('c'), PAD_ID, PAD_ID, PAD_ID,
      id('a'), id('a c'), id('c'), PAD_ID, PAD_ID, PAD_ID,
      id('a'), id('a b'), id('b'), PAD_ID, PAD_ID, PAD_ID,
    ]);
  });
});
