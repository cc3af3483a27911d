// Distributions against printed tables (Abramowitz & Stegun 26.2 and 26.10; any Student t table)
// and, for more digits than tables give, against scipy.stats 1.17 (t.ppf, t.cdf, beta.cdf).
import { describe, expect, it } from "vitest";
import {
  logGamma,
  normalCdf,
  normalCritical,
  normalQuantile,
  regularizedGammaP,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTCritical,
  studentTQuantile,
} from "~/cem/distributions";

describe("logGamma", () => {
  it("matches factorials and Γ(½) = √π", () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12); // Γ(10) = 9!
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 12); // Γ(¼), A&S 6.1
  });
  it("rejects non-positive arguments", () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe("regularized incomplete gamma and beta", () => {
  it("P(1, x) = 1 − e^(−x) and P(3, 2.5) from scipy", () => {
    expect(regularizedGammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
    expect(regularizedGammaP(3, 2.5)).toBeCloseTo(0.45618688411667035, 12);
  });
  it("has the closed forms I_x(1,1) = x, I_x(a,1) = x^a, I_x(1,b) = 1 − (1−x)^b, I_½(a,a) = ½", () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.6, 3, 1)).toBeCloseTo(0.216, 14);
    expect(regularizedIncompleteBeta(0.6, 1, 4)).toBeCloseTo(1 - 0.4 ** 4, 14);
    expect(regularizedIncompleteBeta(0.5, 7.5, 7.5)).toBeCloseTo(0.5, 13);
  });
  it("matches beta CDFs: Beta(2,5) at 0.3 (= 0.579825 by the binomial sum), arcsine at 0.7, a far tail", () => {
    // I_0.3(2,5) = P(Bin(6, 0.3) ≥ 2) = 1 − 0.7⁶ − 6·0.3·0.7⁵ = 1 − 0.117649 − 0.302526 = 0.579825
    expect(regularizedIncompleteBeta(0.3, 2, 5)).toBeCloseTo(0.579825, 12);
    // I_x(½,½) = (2/π) asin(√x)
    expect(regularizedIncompleteBeta(0.7, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.7)), 12);
    expect(regularizedIncompleteBeta(0.2, 10, 3) / 4.52608e-6).toBeCloseTo(1, 9);
  });
  it("is 0 and 1 at the ends", () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe("normal distribution", () => {
  it("matches the table: Φ(1) = 0.841345, Φ(−1.96) = 0.024998, Φ(0) = ½", () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 13);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 13);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });
  it("keeps relative precision in the far tail: Φ(−8) = 6.22096e-16 (A&S 26.2)", () => {
    expect(normalCdf(-8) / 6.220960574271785e-16).toBeCloseTo(1, 9);
  });
  it("quantile: z_0.975 = 1.95996, z_0.9 = 1.28155, z_0.995 = 2.57583", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalCritical(0.95)).toBeCloseTo(1.95996, 5);
  });
  it("round-trips Φ(Φ⁻¹(p)) = p", () => {
    for (const p of [1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.97575, 0.999]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 12);
    }
  });
  it("rejects probabilities outside [0, 1] and NaN", () => {
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
  });
});

describe("Student t distribution", () => {
  it("matches the printed t table at 0.975: df 1 → 12.7062, df 10 → 2.2281, df 30 → 2.0423", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5706, 4);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.1693, 4);
    expect(studentTQuantile(0.95, 20)).toBeCloseTo(1.7247, 4);
    expect(studentTCritical(0.95, 10)).toBeCloseTo(2.2281, 4);
  });
  it("matches scipy to 7 decimals across df 1..1e6, fractional df and extreme p", () => {
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.995, 1, 63.656741162871526],
      [0.975, 1.5, 6.016663104427929],
      [0.975, 3, 3.1824463052837078],
      [0.9, 4.7, 1.4901550815168034],
      [0.975, 100, 1.9839715185235518],
      [0.975, 1e5, 1.9599877075346095],
      [0.975, 1e6, 1.959966356814107],
      [0.9995, 1e6, 3.2905364612487222],
      [1e-6, 3, -103.29946778041935],
      [0.05, 20, -1.724718242920787],
    ];
    for (const [p, df, t] of cases) expect(studentTQuantile(p, df)).toBeCloseTo(t, 7);
  });
  it("CDF: df 1 is Cauchy (F(1) = ¾), and scipy values for df 3, 7.3, 25, 1e6", () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 14);
    expect(studentTCdf(-2, 3)).toBeCloseTo(0.06966298427942152, 12);
    expect(studentTCdf(0.5, 7.3)).toBeCloseTo(0.6841032365977792, 12);
    expect(studentTCdf(4, 25)).toBeCloseTo(0.999752278164734, 12);
    expect(studentTCdf(1.959963984540054, 1e6)).toBeCloseTo(0.9749998613523891, 8);
    expect(studentTCdf(0, 4)).toBe(0.5);
    expect(studentTCdf(Infinity, 4)).toBe(1);
    expect(studentTCdf(2, Infinity)).toBeCloseTo(normalCdf(2), 15);
  });
  it("round-trips F(F⁻¹(p)) = p within 1e-9 for df 1..1e6", () => {
    for (const df of [1, 1.5, 2, 3, 5, 10, 30, 100, 1e3, 1e4, 1e5, 1e6]) {
      for (const p of [0.0005, 0.025, 0.1, 0.4, 0.6, 0.9, 0.975, 0.9995]) {
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p)).toBeLessThan(1e-9);
      }
    }
  });
  it("approaches the normal as df grows", () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(normalQuantile(0.975), 5);
  });
  it("rejects df ≤ 0 and levels outside (0, 1)", () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => studentTCritical(95, 10)).toThrow(RangeError);
    expect(() => normalCritical(1)).toThrow(RangeError);
  });
});
