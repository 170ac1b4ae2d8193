import { distance } from 'fastest-levenshtein';

/**
 * Returns the candidate closest to `value` when it is close enough to be a likely typo, else undefined.
 *
 * @example
 * getSuggestion('paymnet-api', ['payment-api', 'web']) // 'payment-api'
 */
export function getSuggestion(value: string, candidates: Iterable<string>): string | undefined {
  const lower = value.toLowerCase();
  const limit = Math.max(2, Math.floor(value.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    if (Math.abs(candidateLower.length - lower.length) > limit) continue;
    const d = isTransposition(lower, candidateLower) ? 0.5 : distance(lower, candidateLower);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)` when there is a close candidate, else the empty string. */
export function getDidYouMean(value: string, candidates: Iterable<string>): string {
  const suggestion = getSuggestion(value, candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}

/** True when `b` is `a` with two adjacent characters swapped: the most common typo, so it ranks first. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
