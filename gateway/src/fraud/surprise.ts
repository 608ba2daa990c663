// How surprising a count is against what an entity's own history leads us to expect, on one
// scale for every count and every unit size: -log10 of the Poisson tail probability. A share
// such as "1 of 1 records had an unset clock" is huge as a ratio but unremarkable as a count
// (a 3 % event happening once); 8 night sessions where 0.05 were expected is not. Signed:
// positive when the count is above its expectation, negative when below.

/** Largest magnitude returned: beyond this the difference no longer matters to anyone. */
export const MAX_SURPRISE = 50;

const logFactorials: number[] = [0];

function logFactorial(k: number): number {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[k];
}

function logPmf(k: number, lambda: number): number {
  return k * Math.log(lambda) - lambda - logFactorial(k);
}

/** log(sum(exp(terms))) without overflow. */
function logSumExp(terms: number[]): number {
  let m = -Infinity;
  for (const t of terms) if (t > m) m = t;
  if (m === -Infinity) return m;
  let s = 0;
  for (const t of terms) s += Math.exp(t - m);
  return m + Math.log(s);
}

/** -log10 P(X >= k) for k above the mean, +log10 P(X <= k) (negative) for k below; 0 at the mean. */
export function poissonSurprise(count: number, expected: number): number {
  const k = Math.max(0, Math.round(count));
  const lambda = Math.max(expected, 1e-3);
  if (!Number.isFinite(lambda)) return 0;
  const terms: number[] = [];
  if (k > lambda) {
    // upper tail: terms shrink once past the mean, stop when they no longer add anything
    for (let i = k; i < k + 10000; i++) {
      const t = logPmf(i, lambda);
      terms.push(t);
      if (i > lambda && t < terms[0] - 35) break;
    }
    return Math.min(MAX_SURPRISE, -logSumExp(terms) / Math.LN10);
  }
  if (k < lambda) {
    for (let i = k; i >= 0; i--) {
      const t = logPmf(i, lambda);
      terms.push(t);
      if (t < terms[0] - 35) break;
    }
    return Math.max(-MAX_SURPRISE, logSumExp(terms) / Math.LN10);
  }
  return 0;
}

/** Rate with its own trailing figures shrunk towards the county's: few past trials lean on the county. */
export function shrunkRate(ownCount: number, ownExposure: number, countyRate: number, priorExposure: number): number {
  return (ownCount + priorExposure * countyRate) / (ownExposure + priorExposure);
}
