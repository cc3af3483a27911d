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

const postgresRun = process.env.VIVENCIA_TEST_ENGINE === "postgres";
const testOptions = { pool: "forks", testTimeout: 30_000, hookTimeout: 120_000 } as const;

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
  // The whole suite runs on SQLite. VIVENCIA_TEST_ENGINE=postgres (`npm run test:pg`) runs the
  // integration suite again on PostgreSQL: one throwaway cluster for the run, a fresh database per
  // test file (tests/support/postgres-run.ts). Its setup goes first, so that DATABASE_URL is set
  // before anything loads the data layer.
  test: postgresRun
    ? {
        ...testOptions,
        include: ["tests/integration/**/*.test.{ts,tsx}"],
        globalSetup: ["tests/postgres-global-setup.ts"],
        setupFiles: ["tests/postgres-setup.ts", "tests/setup.ts"],
      }
    : { ...testOptions, include: ["tests/**/*.test.{ts,tsx}"], setupFiles: ["tests/setup.ts"] },
});
