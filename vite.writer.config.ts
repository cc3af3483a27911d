// The production server's writer thread (app/data/writer-thread.worker.ts, ADR 012), built beside
// the Remix server bundle as build/server/writer-thread.js: `npm run build` runs this after the
// Remix build. A second entry of its own, because a worker thread starts from a file, and the Remix
// plugin owns the server bundle's entries. Dependencies stay external, as in the server bundle.
import path from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(__dirname, "app"),
      "#db": path.resolve(__dirname, "db"),
    },
  },
  build: {
    ssr: path.resolve(__dirname, "app/data/writer-thread.worker.ts"),
    outDir: "build/server",
    emptyOutDir: false,
    target: "node20",
    rollupOptions: { output: { entryFileNames: "writer-thread.js", format: "esm" } },
  },
  logLevel: "warn",
});
