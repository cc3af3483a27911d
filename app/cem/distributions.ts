// Probability distributions behind Vivencia's intervals: the standard normal and Student's t,
// both cumulative and inverse, built on the log-gamma and the regularized incomplete gamma/beta.

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
// Smallest magnitude the continued fractions may divide by (Lentz's method needs a non-zero floor).
const TINY = 1e-300;
const EPSILON = 1e-15;
// The beta continued fraction needs O(sqrt(max(a, b))) terms; df = 1e6 gives a ≈ 5e5, so ~700 terms.
const MAX_ITERATIONS = 10_000;

function requireProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what} must be a probability in [0, 1], got ${p}`);
}

function requireDegreesOfFreedom(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
}

/**
 * ln Γ(x) for x > 0.
 * Lanczos (1964) approximation with g = 7 and nine coefficients (Press et al., Numerical Recipes,
 * 3rd ed., §6.1); reflection Γ(x)Γ(1−x) = π / sin(πx) below ½. Relative error about 1e-15.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let series = c[0];
  for (let i = 1; i < c.length; i++) series += c[i] / (z + i);
  const t = z + 7.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a).
 * Series for x < a + 1, Lentz continued fraction for Q = 1 − P otherwise
 * (Numerical Recipes, 3rd ed., §6.2). Used here for erfc, hence the normal CDF.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaP needs a > 0, x ≥ 0`);
  if (x === 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaQ needs a > 0, x ≥ 0`);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * Regularized incomplete beta I_x(a, b).
 * Continued fraction by the modified Lentz method, switching to I_x(a,b) = 1 − I_{1−x}(b,a) when
 * x ≥ (a+1)/(a+b+2) so the fraction converges fast (Numerical Recipes, 3rd ed., §6.4;
 * Abramowitz & Stegun 26.5.8).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  requireProbability(x, "x");
  return incompleteBeta(x, 1 - x, a, b);
}

// Takes x and y = 1 − x separately: callers that know y exactly (the t CDF does) keep the
// precision that forming 1 − x near x ≈ 1 would throw away.
function incompleteBeta(x: number, y: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`incomplete beta needs a, b > 0`);
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(y, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/**
 * Standard normal CDF Φ(z) = ½ erfc(−z/√2), with erfc(u) = Q(½, u²) (Abramowitz & Stegun 7.1.2,
 * 6.5.17). Near zero Φ = ½ ± ½ P(½, z²/2), which keeps full precision around the centre.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("normalCdf of NaN");
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const u = (z * z) / 2;
  if (u < 1.5) return 0.5 + 0.5 * Math.sign(z) * regularizedGammaP(0.5, u);
  const tail = 0.5 * regularizedGammaQ(0.5, u);
  return z < 0 ? tail : 1 - tail;
}

/**
 * Standard normal quantile Φ⁻¹(p).
 * Acklam's rational approximation (relative error 1.15e-9), then one Halley step against the
 * accurate normalCdf, which brings it to machine precision. Upper half by symmetry, because
 * 1 − p is exact there while Φ(x) − p near 1 is not.
 */
export function normalQuantile(p: number): number {
  requireProbability(p, "p");
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
    -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Student t CDF with df degrees of freedom (df may be fractional, as Welch's is).
 * For t < 0: F(t) = ½ I_{df/(df+t²)}(df/2, ½) (Abramowitz & Stegun 26.7.1 with 26.5.27);
 * t > 0 by symmetry. df = ∞ is the normal.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError("studentTCdf of NaN");
  requireDegreesOfFreedom(df);
  if (df === Infinity) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const t2 = t * t;
  const tail = 0.5 * incompleteBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/** Student t density (Abramowitz & Stegun 26.7.1), the derivative the quantile's Newton step needs. */
export function studentTDensity(t: number, df: number): number {
  requireDegreesOfFreedom(df);
  if (df === Infinity) return Math.exp(-(t * t) / 2 - LN_SQRT_2PI);
  const lnC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student t quantile F⁻¹(p; df).
 * Closed forms for df = 1 (Cauchy) and df = 2; otherwise a Cornish–Fisher start from the normal
 * quantile (Abramowitz & Stegun 26.7.5) refined by Newton's method inside a bisection bracket,
 * so heavy tails at small df cannot throw the iteration off.
 */
export function studentTQuantile(p: number, df: number): number {
  requireProbability(p, "p");
  requireDegreesOfFreedom(df);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  // From here p < ½ and the quantile is negative.
  if (df === Infinity) return normalQuantile(p);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));

  const z = normalQuantile(p);
  const z2 = z * z;
  let t =
    z +
    (z * (z2 + 1)) / (4 * df) +
    (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df) +
    (z * (3 * z2 * z2 * z2 + 19 * z2 * z2 + 17 * z2 - 15)) / (384 * df * df * df);
  if (!(t < 0) || !Number.isFinite(t)) t = z;

  let hi = 0;
  let lo = t;
  while (studentTCdf(lo, df) > p) lo *= 2;
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - p;
    if (f > 0) hi = t;
    else lo = t;
    let next = t - f / studentTDensity(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-13 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/** Two-sided normal critical value z_{1−α/2} for a confidence level 1 − α. */
export function normalCritical(level: number): number {
  requireLevel(level);
  return normalQuantile(1 - (1 - level) / 2);
}

/** Two-sided Student t critical value t_{1−α/2, df} for a confidence level 1 − α. */
export function studentTCritical(level: number, df: number): number {
  requireLevel(level);
  return studentTQuantile(1 - (1 - level) / 2, df);
}

/** A confidence level must lie strictly between 0 and 1 (0.95, not 95). */
export function requireLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  }
}
