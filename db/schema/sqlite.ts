// The SQLite schema: one module per aggregate, re-exported for the SQLite drizzle database
// (db/client.ts) and drizzle-kit (drizzle.config.ts). The data layer imports the tables through
// db/schema/index.ts, which binds the same names to the tables of the engine DATABASE_URL selects.
export * from "./accounts";
export * from "./platform";
export * from "./journeys";
export * from "./crm";
export * from "./surveys";
export * from "./survey-builder";
export * from "./act";
export * from "./jobs";
export * from "./security";
export * from "./targets";
export * from "./sms";
export * from "./mail";
export * from "./notifications";
