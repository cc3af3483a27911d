// The pure parts of the web boundary's hardening: redirect targets, the cross-site verdict (with
// proxies and PUBLIC_URL), embed origins and the page policy. Over HTTP: tests/integration/web-hardening.test.ts.
import { describe, expect, it } from "vitest";
import { parseEmbedOrigins, storedEmbedOrigins } from "~/web/embed-origins.server";
import { safeRedirect } from "~/web/redirect-target";
import { crossSiteVerdict, type OriginFacts } from "~/web/same-origin.server";
import { pageContentSecurityPolicy, pageHeaders, respondentPageOf } from "~/web/security-headers.server";

describe("safeRedirect", () => {
  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "/.//evil.example",
    "/a/..//evil.example",
    " /workspaces",
    "/workspaces ",
    "/\u00a0/evil.example",
    "/\u200b/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/%E0%A4%A",
    `/${"a".repeat(3000)}`,
  ])("refuses %j", (target) => {
    expect(safeRedirect(target, "/home")).toBe("/home");
  });

  it("keeps paths of this site, normalised", () => {
    expect(safeRedirect("/w/acme/insights?from=2026-01-01&tier=premium#trend")).toBe("/w/acme/insights?from=2026-01-01&tier=premium#trend");
    expect(safeRedirect("/w/acme/../../workspaces")).toBe("/workspaces");
    expect(safeRedirect("/w/café")).toBe("/w/caf%C3%A9");
    expect(safeRedirect("/")).toBe("/");
    expect(safeRedirect(null, "/x")).toBe("/x");
  });
});

describe("crossSiteVerdict", () => {
  const base: OriginFacts = {
    method: "POST",
    path: "/login",
    origin: undefined,
    fetchSite: undefined,
    protocol: "http",
    host: "app.example:3000",
    remixHost: "app.example:3000",
    publicUrl: undefined,
  };
  const judge = (facts: Partial<OriginFacts>) => crossSiteVerdict({ ...base, ...facts });

  it("lets through reads, the API, requests without browser headers, and our own origin", () => {
    expect(judge({ method: "GET", origin: "https://evil.example" })).toBeNull();
    expect(judge({ path: "/api/v1/responses", origin: "https://evil.example", fetchSite: "cross-site" })).toBeNull();
    expect(judge({})).toBeNull();
    expect(judge({ origin: "http://app.example:3000", fetchSite: "same-origin" })).toBeNull();
    expect(judge({ fetchSite: "none" })).toBeNull();
  });

  it("refuses other sites, siblings, null and malformed origins", () => {
    expect(judge({ origin: "https://evil.example" })).not.toBeNull();
    expect(judge({ fetchSite: "cross-site" })).not.toBeNull();
    expect(judge({ fetchSite: "same-site", origin: "http://other.app.example:3000" })).not.toBeNull();
    expect(judge({ origin: "null" })).not.toBeNull();
    expect(judge({ origin: "app.example:3000" })).not.toBeNull();
    expect(judge({ method: "delete", origin: "http://app.example:4000" })).not.toBeNull();
  });

  it("accepts the https twin of a plain-HTTP address (a TLS proxy not named in TRUST_PROXY), never the reverse", () => {
    expect(judge({ host: "app.example", remixHost: "app.example", origin: "https://app.example" })).toBeNull();
    expect(judge({ protocol: "https", host: "app.example", remixHost: "app.example", origin: "http://app.example" })).not.toBeNull();
  });

  it("accepts PUBLIC_URL's origin, and refuses what Remix's own check would turn into a 500", () => {
    const proxied = { host: "127.0.0.1:3000", remixHost: "cx.example", publicUrl: "https://cx.example/" };
    expect(judge({ ...proxied, origin: "https://cx.example" })).toBeNull();
    // An untrusted X-Forwarded-Host does not make an origin ours.
    expect(judge({ host: "127.0.0.1:3000", remixHost: "evil.example", origin: "https://evil.example" })).not.toBeNull();
    // Ours by PUBLIC_URL, but the proxy rewrote Host and sent no X-Forwarded-Host: Remix would throw.
    expect(judge({ host: "127.0.0.1:3000", remixHost: "127.0.0.1:3000", publicUrl: "https://cx.example", origin: "https://cx.example" })).not.toBeNull();
  });
});

describe("embed origins", () => {
  it("normalises https origins and refuses anything else, naming it", () => {
    expect(parseEmbedOrigins("https://Shop.Example/\nhttps://b.example:8443, https://shop.example")).toEqual({ ok: true, origins: ["https://shop.example", "https://b.example:8443"] });
    expect(parseEmbedOrigins("  ")).toEqual({ ok: true, origins: [] });
    expect(parseEmbedOrigins("https://ok.example http://plain.example")).toEqual({ ok: false, problem: "notHttps", origin: "http://plain.example" });
    expect(parseEmbedOrigins("https://shop.example/path")).toMatchObject({ ok: false, problem: "notOrigin" });
    expect(parseEmbedOrigins("https://user@shop.example")).toMatchObject({ ok: false, problem: "notOrigin" });
    expect(parseEmbedOrigins("https://*.shop.example")).toMatchObject({ ok: false, problem: "wildcard" });
    expect(parseEmbedOrigins("https://a.example;script-src")).toMatchObject({ ok: false, problem: "notUrl" });
    expect(parseEmbedOrigins("'self'")).toMatchObject({ ok: false, problem: "notUrl" });
    expect(parseEmbedOrigins(Array.from({ length: 21 }, (_, i) => `https://s${i}.example`).join(" "))).toMatchObject({ ok: false, problem: "tooMany" });
  });

  it("drops anything malformed from the stored column before it reaches a header", () => {
    expect(storedEmbedOrigins("https://a.example 'unsafe-inline' https://b.example;x *")).toEqual(["https://a.example"]);
    expect(storedEmbedOrigins("")).toEqual([]);
  });
});

describe("page policy", () => {
  it("has no unsafe script sources, and frames by list or not at all", () => {
    const csp = pageContentSecurityPolicy({ nonce: "abc", framedBy: null });
    expect(csp).toContain("script-src 'self' 'nonce-abc'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(pageContentSecurityPolicy({ nonce: "abc", framedBy: ["https://a.example"] })).toContain("frame-ancestors 'self' https://a.example");
    const respondent = new Map(pageHeaders({ nonce: "n", framedBy: [], privateUrl: true, secure: false }));
    expect(respondent.get("Referrer-Policy")).toBe("same-origin");
    expect(respondent.has("X-Frame-Options")).toBe(false);
    expect(respondent.has("Strict-Transport-Security")).toBe(false);
  });

  it("knows the respondent pages by their route ids", () => {
    expect(respondentPageOf("routes/s.$token")).toBe("survey");
    expect(respondentPageOf("routes/p.$token")).toBe("pulse");
    expect(respondentPageOf("routes/settings")).toBeNull();
    expect(respondentPageOf("routes/s.$tokenish")).toBeNull();
  });
});
