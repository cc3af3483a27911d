// The whole schema: one module per aggregate, re-exported for drizzle and drizzle-kit.
export * from "./accounts";
export * from "./platform";
export * from "./journeys";
export * from "./crm";
export * from "./surveys";
export * from "./act";
