/**
 * A step's settings in a few words, shown beside its title in the recipe ("median + indicator",
 * "→ INTEGER", "left on customer_id"), so the list reads as what each step does without opening it.
 */
import type { RecipeStepBody } from './types';

const q = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const into = (as: string | undefined) => (as ? ` → ${as}` : '');
const clip = (s: string, max = 48) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The settings of `step` in words ('' when its title says it all). */
export function stepDetail(step: RecipeStepBody): string {
  switch (step.kind) {
    case 'dedupe':
      return step.keys?.length ? `by ${step.keys.join(', ')}, keep ${step.keep ?? 'first'}${step.orderBy ? ` by ${step.orderBy}` : ''}` : 'exact rows';
    case 'missing': {
      const how = step.strategy === 'constant' ? `fill ${q(step.value)}` : step.strategy === 'previous' ? `previous value by ${step.orderBy}` : step.strategy === 'drop-rows' ? 'drop rows' : step.strategy;
      return step.indicator && step.strategy !== 'indicator' ? `${how} + indicator` : how;
    }
    case 'cast':
      return `→ ${step.to}`;
    case 'parse-date':
      return `${step.format} → ${step.to ?? 'DATE'}`;
    case 'text':
      return step.op;
    case 'map-values':
      return `${count(step.mapping.length, 'value')}${step.unmatched === 'null' ? ', others missing' : ''}`;
    case 'regex-replace':
      return clip(`/${step.pattern}/ → ${q(step.replacement)}${step.global === false ? ' (first match)' : ''}`);
    case 'range-rule':
      return `${step.min ?? '−∞'} to ${step.max ?? '∞'}, outside → ${step.action}`;
    case 'outliers':
      return step.method === 'percentile'
        ? `quantiles ${step.lower ?? 0.05}–${step.upper ?? 0.95}, ${step.action}`
        : `${step.method === 'iqr' ? 'IQR' : 'z-score'} × ${step.k ?? (step.method === 'iqr' ? 1.5 : 3)}, ${step.action}`;
    case 'scale':
      return `${step.method === 'minmax' ? 'min-max' : 'z-score'}${into(step.as)}`;
    case 'log1p':
      return into(step.as).trim();
    case 'bin':
      return `${count(step.bins, `${step.method} bin`)}${into(step.as)}`;
    case 'one-hot':
      return step.keepOriginal ? 'keep the column' : '';
    case 'encode':
      return `${step.order?.length ? `order ${clip(step.order.join(', '), 32)}` : 'sorted'}, from ${step.start ?? 0}${into(step.as)}`;
    case 'derive':
      return clip(`= ${step.expression}`);
    case 'sample':
      return `${step.rows !== undefined ? count(step.rows, 'row') : `${step.percent} %`}, seed ${step.seed}${step.stratifyBy ? `, by ${step.stratifyBy}` : ''}`;
    case 'filter': {
      const n = step.conditions?.length ?? 0;
      const parts = [n ? `${count(n, 'condition')}${n > 1 ? ` (${step.match ?? 'all'})` : ''}` : '', step.sql ? clip(step.sql, 32) : ''].filter(Boolean);
      return parts.join(' and ');
    }
    case 'join':
      return `${step.how} on ${step.on.map((k) => (k.left === k.right ? k.left : `${k.left} = ${k.right}`)).join(', ')}`;
    case 'append':
      return step.tables.join(', ');
    case 'aggregate':
      return `by ${step.groupBy.join(', ') || '(all rows)'}: ${count(step.measures.length, 'measure')}`;
  }
}
