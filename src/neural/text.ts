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
}

/** How a vocabulary is built. */
export interface VocabularyOptions {
  /** Vocabulary size including padding and unknown (default 10,000). */
  maxTokens?: number;
  /** Tokens per encoded text (default 100). */
  sequenceLength?: number;
  /** Fewest training texts a token must appear in to be kept (default 1). */
  minDocumentCount?: number;
}

// HTML line breaks (`<br />`) are common in scraped reviews; they are markup, not words.
const MARKUP = /<[^>]{0,20}>/g;
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/** Lowercase word tokens of a text (letters/digits, with an inner apostrophe kept: "don't"). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().replace(MARKUP, ' ').match(WORD) ?? [];
}

/**
 * Builds the vocabulary from training texts only: tokens ranked by total count (ties broken
 * alphabetically, so the result does not depend on input order), top `maxTokens − 2` kept.
 */
export function buildVocabulary(texts: readonly string[], options: VocabularyOptions = {}): Vocabulary {
  const { maxTokens = 10_000, sequenceLength = 100, minDocumentCount = 1 } = options;
  if (!(maxTokens >= 3)) throw new AppError('invalid-argument', `the vocabulary needs room for at least one word; maxTokens is ${maxTokens}.`);
  if (!(sequenceLength >= 1)) throw new AppError('invalid-argument', `the sequence length must be at least 1; got ${sequenceLength}.`);
  if (texts.length === 0) throw new AppError('invalid-argument', 'the vocabulary needs at least one training text.');
  const counts = new Map<string, number>();
  const docs = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const t of tokenize(text)) {
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
  return { tokens: ['', '[UNK]', ...ranked], sequenceLength };
}

/**
 * Encodes texts as an n × sequenceLength Int32Array of token ids (row-major): the first
 * `sequenceLength` tokens of each text, padded with {@link PAD_ID} at the end.
 */
export function encodeTexts(texts: readonly string[], vocabulary: Vocabulary): Int32Array {
  const { sequenceLength: len } = vocabulary;
  const ids = new Map<string, number>();
  vocabulary.tokens.forEach((t, i) => {
    if (i > OOV_ID) ids.set(t, i);
  });
  const out = new Int32Array(texts.length * len);
  texts.forEach((text, r) => {
    const tokens = tokenize(text);
    const m = Math.min(tokens.length, len);
    for (let j = 0; j < m; j++) out[r * len + j] = ids.get(tokens[j]) ?? OOV_ID;
  });
  return out;
}
