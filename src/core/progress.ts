/** A progress report from long work: what is happening and how far along (0..1 when known). */
export interface Progress {
  /** Short phrase in the analyst's words, e.g. "iteration 12", "reading orders.csv". */
  stage: string;
  /** Fraction done in [0, 1], or undefined when unknown. */
  fraction?: number;
  /** Extra figures worth showing (inertia, itemsets found, rows read…). */
  detail?: Record<string, number | string>;
}

export type ProgressCallback = (progress: Progress) => void;

/**
 * Wraps a progress callback so it fires at most `perSecond` times a second (the last report of a
 * burst is delivered when the next one is allowed). Workers report through Comlink proxies; each
 * call is a message, so the design caps them at 10/s.
 */
export function throttleProgress(
  callback: ProgressCallback | undefined,
  perSecond = 10,
  now: () => number = () => Date.now(),
): ProgressCallback {
  if (!callback) return () => {};
  const gap = 1000 / perSecond;
  let last = -Infinity;
  return (progress) => {
    const t = now();
    if (t - last >= gap || progress.fraction === 1) {
      last = t;
      callback(progress);
    }
  };
}
