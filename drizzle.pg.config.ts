// drizzle-kit for the PostgreSQL engine: `npm run db:generate:pg` writes db/migrations-pg from
// db/schema-pg (the SQLite engine keeps drizzle.config.ts, db/schema and db/migrations).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema-pg/index.ts",
  out: "./db/migrations-pg",
});
