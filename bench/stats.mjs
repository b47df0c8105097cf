// The one set of statistics of the benches (test/unit/layout.test.ts refuses a second `median`). Plain
// JavaScript so every runtime a bench runs in (and bench/suite.ts, bundled) imports it as is; types in
// stats.d.mts. The median of an even count is the upper middle sample: a measured value, never an average.

/** The value below which a fraction `q` (0..1) of the samples lie: the sample at floor(q·n), sorted. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The middle sample (the upper one of an even count). */
export const median = (xs) => quantile(xs, 0.5);

/** Median with the spread: { median, min, max } of the samples. */
export function summarize(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] };
}
