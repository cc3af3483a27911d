// The rate-limit policies as the environment sets them: "<hits>/<window seconds>" or "<hits>", a
// value that does not parse (or a window over an hour) reported and replaced by the default.
import { afterEach, describe, expect, it, vi } from "vitest";
import { policy } from "~/web/rate-limit.server";

const saved = process.env.RATE_LIMIT_SIGN_IN_ACCOUNT;
afterEach(() => {
  if (saved === undefined) delete process.env.RATE_LIMIT_SIGN_IN_ACCOUNT;
  else process.env.RATE_LIMIT_SIGN_IN_ACCOUNT = saved;
});

describe("policy", () => {
  it("has documented defaults: sign-in 10 per account in 15 minutes, counted exactly; the API batched", () => {
    delete process.env.RATE_LIMIT_SIGN_IN_ACCOUNT;
    expect(policy("SIGN_IN_ACCOUNT")).toEqual({ limit: 10, windowS: 900, mode: "exact" });
    expect(policy("API_TOKEN")).toMatchObject({ windowS: 60, mode: "batched" });
  });

  it("takes hits and a window, or hits alone", () => {
    process.env.RATE_LIMIT_SIGN_IN_ACCOUNT = "5/60";
    expect(policy("SIGN_IN_ACCOUNT")).toEqual({ limit: 5, windowS: 60, mode: "exact" });
    process.env.RATE_LIMIT_SIGN_IN_ACCOUNT = " 7 ";
    expect(policy("SIGN_IN_ACCOUNT")).toEqual({ limit: 7, windowS: 900, mode: "exact" });
  });

  it("reports a value it cannot use and keeps the default", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    for (const bad of ["ten", "0/60", "5/0", "5/7200", "5/60/1"]) {
      process.env.RATE_LIMIT_SIGN_IN_ACCOUNT = bad;
      expect(policy("SIGN_IN_ACCOUNT")).toEqual({ limit: 10, windowS: 900, mode: "exact" });
    }
    expect(warn).toHaveBeenCalledTimes(5);
  });
});
