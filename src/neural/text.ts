import { AppError } from '../core/errors';

/**
 * Text → integer sequences for the text classifier: lowercase word tokens, a vocabulary of the
 * K most frequent training tokens, and fixed-length padded/truncated id sequences (as Keras'
 * `TextVectorization(max_tokens, output_sequence_length)`). Pure TypeScript, no tfjs: the
 * vocabulary is plain JSON and is saved beside the model.
 */

/** Id of the padding token (also what an empty position holds). */
export const PAD_ID = 0;
/** Id of an out-of-vocabulary token. */
export const OOV_ID = 1;

/** A fitted vocabulary: `tokens[id]` for id ≥ 2 (0 = padding, 1 = unknown). */
export interface Vocabulary {
  /** Token of each id; `tokens[0] = ''` (padding) and `tokens[1] = '[UNK]'`. */
  tokens: string[];
  /** Length of every encoded sequence (tokens past it are cut, shorter texts padded). */
  sequenceLength: number;
  /** Longest word n-gram used as a token: 1 (words, the default) or 2 (words, then adjacent word pairs "not good"). */
  ngrams?: 1 | 2;
}

/** How a vocabulary is built. */
export interface VocabularyOptions {
  /** Vocabulary size including padding and unknown (default 10,000). */
  maxTokens?: number;
  /** Tokens per encoded text (default 100). */
  sequenceLength?: number;
  /** Fewest training texts a token must appear in to be kept (default 1). */
  minDocumentCount?: number;
  /** 2 adds word pairs ("not good", fastText's bigrams; Joulin et al. 2017) beside the words; default 1. */
  ngrams?: 1 | 2;
}

// HTML line breaks (`<br />`) are common in scraped reviews; they are markup, not words.
const MARKUP = /<[^>]{0,20}>/g;
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/** Lowercase word tokens of a text (letters/digits, with an inner apostrophe kept: "don't"). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().replace(MARKUP, ' ').match(WORD) ?? [];
}

/**
 * The tokens of a text: its words, or (with `ngrams` 2) each word followed by the pair it starts
 * ("not", "not good", "good"), so a cut at the sequence length keeps words and pairs alike.
 */
export function textTokens(text: string, ngrams: 1 | 2 = 1): string[] {
  return wordTokens(tokenize(text), ngrams);
}

/** {@link textTokens} of an already tokenized text. */
function wordTokens(words: readonly string[], ngrams: 1 | 2 = 1): string[] {
  if (ngrams === 1) return words.slice();
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(words[i]);
    if (i + 1 < words.length) out.push(`${words[i]} ${words[i + 1]}`);
  }
  return out;
}

/**
 * Builds the vocabulary from training texts only: tokens ranked by total count (ties broken
 * alphabetically, so the result does not depend on input order), top `maxTokens − 2` kept.
 */
export function buildVocabulary(texts: readonly string[], options: VocabularyOptions = {}): Vocabulary {
  const { maxTokens = 10_000, sequenceLength = 100, minDocumentCount = 1, ngrams = 1 } = options;
  if (!(maxTokens >= 3)) throw new AppError('invalid-argument', `the vocabulary needs room for at least one word; maxTokens is ${maxTokens}.`);
  if (!(sequenceLength >= 1)) throw new AppError('invalid-argument', `the sequence length must be at least 1; got ${sequenceLength}.`);
  if (texts.length === 0) throw new AppError('invalid-argument', 'the vocabulary needs at least one training text.');
  const counts = new Map<string, number>();
  const docs = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const t of textTokens(text, ngrams)) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      if (!seen.has(t)) {
        seen.add(t);
        docs.set(t, (docs.get(t) ?? 0) + 1);
      }
    }
  }
  const ranked = [...counts.entries()]
    .filter(([t]) => (docs.get(t) ?? 0) >= minDocumentCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxTokens - 2)
    .map(([t]) => t);
  return { tokens: ['', '[UNK]', ...ranked], sequenceLength, ...(ngrams === 2 ? { ngrams } : {}) };
}

/**
 * Encodes texts as an n × sequenceLength Int32Array of token ids (row-major): the first
 * `sequenceLength` tokens of each text, padded with {@link PAD_ID} at the end.
 */
export function encodeTexts(texts: readonly string[], vocabulary: Vocabulary): Int32Array {
  return encodeWordLists(texts.map((t) => tokenize(t)), vocabulary);
}

/** {@link encodeTexts} of already tokenized texts. */
function encodeWordLists(texts: readonly (readonly string[])[], vocabulary: Vocabulary): Int32Array {
  const { sequenceLength: len } = vocabulary;
  const ids = new Map<string, number>();
  vocabulary.tokens.forEach((t, i) => {
    if (i > OOV_ID) ids.set(t, i);
  });
  const out = new Int32Array(texts.length * len);
  texts.forEach((words, r) => {
    const tokens = wordTokens(words, vocabulary.ngrams);
    const m = Math.min(tokens.length, len);
    for (let j = 0; j < m; j++) out[r * len + j] = ids.get(tokens[j]) ?? OOV_ID;
  });
  return out;
}

/** A text and its variants with one word left out each, encoded for the model. */
export interface OcclusionInputs {
  /** The words of the text the model sees (those past the sequence length are cut). */
  words: string[];
  /** (words + 1) × sequenceLength ids: row 0 the whole text, row i + 1 the text without word i. */
  x: Int32Array;
}

/**
 * Occlusion for a text classifier (Zeiler & Fergus 2014, applied to words): the text, then one
 * copy per word with that word dropped (its word pairs re-formed across the gap). The change in
 * the model's output between row 0 and row i + 1 is how much word i moves the prediction.
 */
export function occlusionInputs(text: string, vocabulary: Vocabulary): OcclusionInputs {
  const all = tokenize(text);
  // With word pairs, about half the positions hold pairs: the words the model sees are fewer.
  const words = all.slice(0, vocabulary.ngrams === 2 ? Math.ceil(vocabulary.sequenceLength / 2) : vocabulary.sequenceLength);
  const variants = [words, ...words.map((_, i) => [...words.slice(0, i), ...words.slice(i + 1)])];
  return { words, x: encodeWordLists(variants, vocabulary) };
}
