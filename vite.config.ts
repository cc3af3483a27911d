// Vite config for the app build and for vitest. The Remix plugin stays out of test runs:
// it takes over module resolution and clashes with vitest.
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vitest/config";
import path from "node:path";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(__dirname, "app"),
      "#db": path.resolve(__dirname, "db"),
    },
  },
  plugins: process.env.VITEST
    ? []
    : [
        remix({
          future: {
            v3_fetcherPersist: true,
            v3_relativeSplatPath: true,
            v3_throwAbortReason: true,
            v3_singleFetch: true,
            v3_lazyRouteDiscovery: true,
            v3_routeConfig: true,
          },
        }),
      ],
  ssr: { noExternal: [] },
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    setupFiles: ["tests/setup.ts"],
  },
});
