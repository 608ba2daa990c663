// How surprising a count is against what an entity's own history leads us to expect, on one
// scale for every count and every unit size: -log10 of the tail probability (Poisson for counts
// of events, beta-binomial for how many of the day's trials had a property). A share
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

/** log Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** log P(X = k) for X ~ BetaBinomial(n, a, b). */
function betaBinomialLogPmf(k: number, n: number, a: number, b: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + logBeta(k + a, n - k + b) - logBeta(a, b);
}

/** How surprising `k` successes out of `n` trials are when the success rate is only known as
 * Beta(a, b) (a past of a - prior successes in a + b - prior trials): -log10 P(X >= k) above the
 * mean n a / (a + b), +log10 P(X <= k) (negative) below it; 0 at the mean and when there is no
 * trial. A share such as "4 of 7 boxes were expensive" is judged as what it is, 4 draws out of 7,
 * not as a share of 57 %, and a rate measured on little past counts for less than a well-known one. */
export function betaBinomialSurprise(k: number, n: number, a: number, b: number): number {
  const trials = Math.max(0, Math.round(n));
  const hits = Math.min(trials, Math.max(0, Math.round(k)));
  if (trials === 0 || !(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) return 0;
  const mean = (trials * a) / (a + b);
  const terms: number[] = [];
  if (hits > mean) {
    for (let i = hits; i <= trials; i++) {
      const t = betaBinomialLogPmf(i, trials, a, b);
      terms.push(t);
      if (t < terms[0] - 35) break;
    }
    return Math.min(MAX_SURPRISE, Math.max(0, -logSumExp(terms) / Math.LN10));
  }
  if (hits < mean) {
    for (let i = hits; i >= 0; i--) {
      const t = betaBinomialLogPmf(i, trials, a, b);
      terms.push(t);
      if (t < terms[0] - 35) break;
    }
    return Math.max(-MAX_SURPRISE, Math.min(0, logSumExp(terms) / Math.LN10));
  }
  return 0;
}

/** How much better `hits` and `misses` are explained when a share s of the trials is something
 * else than usual, with s as the day fits it best: log10 of the generalised likelihood ratio
 * max over s in [0, 1] of prod over hits of (1 - s + s * ratio) times (1 - s)^misses, where `ratio`
 * is, per hit, how much likelier that outcome is under the other process than under the usual one
 * (P_other / P_usual); a miss is an outcome the other process never gives. 0 when the usual process
 * explains the trials at least as well (every ratio small, or many misses), never negative; capped
 * at MAX_SURPRISE. The log-likelihood is concave in s, so its maximum is where its slope crosses 0. */
export function contaminationLr(ratios: readonly number[], misses: number): number {
  const r = ratios.filter((x) => Number.isFinite(x) && x >= 0);
  const m = Math.max(0, Number.isFinite(misses) ? misses : 0);
  if (!r.length) return 0;
  const logLik = (s: number) => {
    let x = m > 0 ? m * Math.log1p(-s) : 0;
    for (const a of r) x += Math.log(1 - s + s * a);
    return x;
  };
  const slope = (s: number) => {
    let d = m > 0 ? -m / (1 - s) : 0;
    for (const a of r) d += (a - 1) / (1 - s + s * a);
    return d;
  };
  if (!(slope(0) > 0)) return 0;
  let best: number;
  if (m === 0 && slope(1) >= 0) best = logLik(1);
  else {
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (slope(mid) > 0) lo = mid;
      else hi = mid;
    }
    best = logLik(lo);
  }
  return Math.min(MAX_SURPRISE, Math.max(0, best / Math.LN10));
}
