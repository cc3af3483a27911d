// The PostgreSQL schema (db/schema-pg) describes the same database as the SQLite one (db/schema):
// the same exported tables with the same names; per table the same columns (name, nullability,
// primary key, default, enum values, JavaScript data type, and the engine type mapped as in
// db/schema-pg/index.ts), primary keys, unique constraints, foreign keys, indexes and checks.
// Any difference, such as a column added on one side only, fails here. The row types are compared
// too, at compile time (`npx tsc --noEmit`).
import { getTableName, is, SQL, Table } from "drizzle-orm";
import { getTableConfig as pgTableConfig, PgDialect, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import { integer as pgInteger, pgTable, text as pgText } from "drizzle-orm/pg-core";
import {
  getTableConfig as sqliteTableConfig,
  SQLiteSyncDialect,
  SQLiteTable,
  type SQLiteColumn,
} from "drizzle-orm/sqlite-core";
import { integer as sqliteInteger, sqliteTable, text as sqliteText } from "drizzle-orm/sqlite-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as pgSchema from "../../db/schema-pg/index";
import * as sqliteSchema from "../../db/schema/sqlite";

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

/** SQL defaults that mean the same on both engines, by their rendered text. */
const SQL_DEFAULTS: Record<string, string> = {
  // Milliseconds since the epoch (SQLite keeps instants as integers) / a timestamptz.
  "(unixepoch('subsec') * 1000)": "now()",
};

/** One engine-neutral description of a column; the engine type is reduced through the mapping. */
type ColumnShape = {
  name: string;
  type: string;
  dataType: string;
  notNull: boolean;
  primary: boolean;
  unique: string | null;
  hasDefault: boolean;
  default: unknown;
  enumValues: readonly string[] | null;
};

type TableShape = {
  name: string;
  columns: ColumnShape[];
  primaryKeys: { name: string; columns: string[] }[];
  uniqueConstraints: { name: string | undefined; columns: string[] }[];
  foreignKeys: { name: string; columns: string[]; table: string; foreignColumns: string[]; onDelete: string; onUpdate: string }[];
  indexes: { name: string | undefined; columns: string[]; unique: boolean; where: string | null }[];
  checks: { name: string; sql: string }[];
};

function sqliteType(column: SQLiteColumn): string {
  const c = column as SQLiteColumn & { autoIncrement?: boolean; mode?: string };
  switch (column.columnType) {
    case "SQLiteInteger":
      return c.autoIncrement ? "serial id" : "integer";
    case "SQLiteTimestamp":
      return c.mode === "timestamp_ms" ? "instant (ms)" : `unmapped SQLiteTimestamp mode ${c.mode}`;
    case "SQLiteBoolean":
      return "boolean";
    case "SQLiteReal":
      return "double";
    case "SQLiteText":
      return "text";
    case "SQLiteTextJson":
      return "json";
    case "SQLiteBlobBuffer":
      return "bytes";
    default:
      return `unmapped ${column.columnType}`;
  }
}

function pgType(column: PgColumn): string {
  const c = column as PgColumn & { withTimezone?: boolean; precision?: number; mode?: string };
  switch (column.columnType) {
    case "PgInteger":
      return column.generatedIdentity ? "serial id" : "integer";
    case "PgSerial":
      return "serial id";
    case "PgBigInt53": // bigint, mode "number": for values that can pass 2^31
      return "integer";
    case "PgTimestamp":
      return c.withTimezone && c.precision === 3 ? "instant (ms)" : `timestamp tz=${c.withTimezone} precision=${c.precision}`;
    case "PgBoolean":
      return "boolean";
    case "PgDoublePrecision":
      return "double";
    case "PgText":
      return "text";
    case "PgJsonb":
      return "json";
    case "PgBytea":
      return "bytes";
    case "PgCustomColumn": // db/schema-pg/jobs.ts's bytea
      return column.getSQLType() === "bytea" ? "bytes" : `unmapped custom ${column.getSQLType()}`;
    default:
      return `unmapped ${column.columnType}`;
  }
}

function defaultOf(value: unknown, render: (sql: SQL) => string): unknown {
  if (is(value, SQL)) {
    const text = render(value);
    return { sql: SQL_DEFAULTS[text] ?? text };
  }
  return value;
}

const renderSqlite = (sql: SQL) => sqliteDialect.sqlToQuery(sql).sql;
const renderPg = (sql: SQL) => pgDialect.sqlToQuery(sql).sql;
const names = (columns: unknown[]) => columns.map((c) => (is(c, SQL) ? `(sql) ${renderSqlite(c)}` : (c as { name: string }).name));

/**
 * An INTEGER PRIMARY KEY without AUTOINCREMENT (act_settings.workspace_id, lookup_generation.id)
 * is SQLite's rowid: left out of an INSERT it gets max + 1, so drizzle counts it as
 * having a default (optional in $inferInsert). Nothing relies on that (those keys are always given)
 * and PostgreSQL has no such default, so it is not counted as one; the PostgreSQL insert type then
 * requires the key (see ROWID_ALIASES below).
 */
function isRowidAlias(column: SQLiteColumn): boolean {
  return column.columnType === "SQLiteInteger" && column.primary && !(column as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement;
}

function sqliteShape(table: SQLiteTable): TableShape {
  const config = sqliteTableConfig(table);
  return {
    name: config.name,
    columns: config.columns.map((column) => ({
      name: column.name,
      type: sqliteType(column),
      dataType: column.dataType,
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique ? (column.uniqueName ?? null) : null,
      hasDefault: column.hasDefault && !(isRowidAlias(column) && column.default === undefined && !column.defaultFn),
      default: defaultOf(column.default, renderSqlite),
      enumValues: column.enumValues ?? null,
    })),
    primaryKeys: config.primaryKeys.map((pk) => ({ name: pk.getName(), columns: names(pk.columns) })),
    uniqueConstraints: config.uniqueConstraints.map((u) => ({ name: u.getName(), columns: names(u.columns) })),
    foreignKeys: config.foreignKeys.map((fk) => {
      const reference = fk.reference();
      return {
        name: fk.getName(),
        columns: names(reference.columns),
        table: getTableName(reference.foreignTable),
        foreignColumns: names(reference.foreignColumns),
        onDelete: fk.onDelete ?? "no action",
        onUpdate: fk.onUpdate ?? "no action",
      };
    }),
    indexes: config.indexes.map((index) => ({
      name: index.config.name,
      columns: names(index.config.columns),
      unique: index.config.unique,
      where: index.config.where ? renderSqlite(index.config.where) : null,
    })),
    checks: config.checks.map((check) => ({ name: check.name, sql: renderSqlite(check.value) })),
  };
}

function pgShape(table: PgTable): TableShape {
  const config = pgTableConfig(table);
  return {
    name: config.name,
    columns: config.columns.map((column) => ({
      name: column.name,
      type: pgType(column),
      // A custom bytea column holds a Buffer, as SQLite's blob in buffer mode does.
      dataType: pgType(column) === "bytes" ? "buffer" : column.dataType,
      notNull: column.notNull,
      primary: column.primary,
      unique: column.isUnique ? (column.uniqueName ?? null) : null,
      hasDefault: column.hasDefault,
      default: defaultOf(column.default, renderPg),
      enumValues: column.enumValues ?? null,
    })),
    primaryKeys: config.primaryKeys.map((pk) => ({ name: pk.getName(), columns: names(pk.columns) })),
    uniqueConstraints: config.uniqueConstraints.map((u) => {
      // NULLS NOT DISTINCT has no SQLite counterpart: SQLite's unique constraints let NULLs repeat.
      expect(u.nullsNotDistinct, `${config.name}.${u.getName()} NULLS NOT DISTINCT`).toBe(false);
      return { name: u.getName(), columns: names(u.columns) };
    }),
    foreignKeys: config.foreignKeys.map((fk) => {
      const reference = fk.reference();
      return {
        name: fk.getName(),
        columns: names(reference.columns),
        table: getTableName(reference.foreignTable),
        foreignColumns: names(reference.foreignColumns),
        onDelete: fk.onDelete ?? "no action",
        onUpdate: fk.onUpdate ?? "no action",
      };
    }),
    indexes: config.indexes.map((index) => ({
      name: index.config.name,
      columns: names(index.config.columns),
      unique: index.config.unique,
      where: index.config.where ? renderPg(index.config.where) : null,
    })),
    checks: config.checks.map((check) => ({ name: check.name, sql: renderPg(check.value) })),
  };
}

/** Order-insensitive where order means nothing (constraints, indexes); column order stays. */
function normalised(shape: TableShape): TableShape {
  const byName = <T extends { name?: string }>(items: T[]) =>
    [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    ...shape,
    columns: [...shape.columns].sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: byName(shape.primaryKeys),
    uniqueConstraints: byName(shape.uniqueConstraints),
    foreignKeys: byName(shape.foreignKeys),
    indexes: byName(shape.indexes),
    checks: byName(shape.checks),
  };
}

const sqliteTables = Object.fromEntries(Object.entries(sqliteSchema).filter(([, v]) => is(v, SQLiteTable))) as Record<string, SQLiteTable>;
const pgTables = Object.fromEntries(Object.entries(pgSchema).filter(([, v]) => is(v, PgTable))) as Record<string, PgTable>;

describe("the PostgreSQL schema mirrors the SQLite schema", () => {
  it("exports the same tables under the same names", () => {
    expect(Object.keys(sqliteTables).length).toBeGreaterThan(30);
    expect(Object.keys(pgTables).sort()).toEqual(Object.keys(sqliteTables).sort());
    for (const [key, table] of Object.entries(sqliteTables)) {
      expect(getTableName(pgTables[key]), key).toBe(getTableName(table));
    }
  });

  it("exports the same other names (enum value lists and the like) with the same values", () => {
    const others = (schema: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(schema).filter(([, v]) => !is(v, Table)));
    expect(others(pgSchema)).toEqual(others(sqliteSchema));
  });

  for (const key of Object.keys(sqliteTables).sort()) {
    it(`${key}: same columns, keys, constraints and indexes`, () => {
      const pg = pgTables[key];
      expect(pg, `db/schema-pg has no table exported as ${key}`).toBeDefined();
      expect(normalised(pgShape(pg))).toEqual(normalised(sqliteShape(sqliteTables[key])));
    });
  }

  it("every column type is one the mapping covers", () => {
    for (const table of Object.values(sqliteTables)) {
      for (const column of sqliteShape(table).columns) expect(column.type, `${getTableName(table)}.${column.name}`).not.toMatch(/^unmapped/);
    }
    for (const table of Object.values(pgTables)) {
      for (const column of pgShape(table).columns) expect(column.type, `${getTableName(table)}.${column.name}`).not.toMatch(/^unmapped/);
    }
  });

  it("tells tables apart that differ by one column (the comparison is not vacuous)", () => {
    const left = sqliteTable("probe", { id: sqliteInteger("id").primaryKey({ autoIncrement: true }), name: sqliteText("name").notNull() });
    const same = pgTable("probe", { id: pgInteger("id").primaryKey().generatedByDefaultAsIdentity(), name: pgText("name").notNull() });
    const wider = pgTable("probe", {
      id: pgInteger("id").primaryKey().generatedByDefaultAsIdentity(),
      name: pgText("name").notNull(),
      extra: pgText("extra"),
    });
    const nullable = pgTable("probe", { id: pgInteger("id").primaryKey().generatedByDefaultAsIdentity(), name: pgText("name") });
    expect(normalised(pgShape(same))).toEqual(normalised(sqliteShape(left)));
    expect(normalised(pgShape(wider))).not.toEqual(normalised(sqliteShape(left)));
    expect(normalised(pgShape(nullable))).not.toEqual(normalised(sqliteShape(left)));
  });

  it("has the same row types (checked by tsc)", () => {
    type Tables<S> = { [K in keyof S as S[K] extends Table ? K : never]: S[K] };
    type SqliteTables = Tables<typeof sqliteSchema>;
    type PgTables = Tables<typeof pgSchema>;
    type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
    type Shared = keyof SqliteTables & keyof PgTables;
    // SQLite rowid aliases (isRowidAlias above): optional to insert there, required here.
    type ROWID_ALIASES = { actSettings: "workspaceId"; lookupGeneration: "id"; smsSettings: "workspaceId"; deploymentSmsTexts: "deploymentId"; mailSettings: "workspaceId"; deploymentMail: "deploymentId"; mailOptOuts: "customerId"; surveyAutosaves: "surveyId" };
    type Simplify<T> = { [K in keyof T]: T[K] } & {};
    type AsOnSqlite<K, P> = K extends keyof ROWID_ALIASES
      ? Simplify<Omit<P, ROWID_ALIASES[K] & keyof P> & { [A in ROWID_ALIASES[K] & keyof P]?: P[A] | undefined }>
      : P;
    type Mismatched<Kind extends "$inferSelect" | "$inferInsert"> = {
      [K in Shared]: SqliteTables[K] extends Record<Kind, infer S>
        ? PgTables[K] extends Record<Kind, infer P>
          ? Same<Simplify<S>, Kind extends "$inferInsert" ? AsOnSqlite<K, P> : Simplify<P>> extends true
            ? never
            : K
          : K
        : K;
    }[Shared];
    expectTypeOf<keyof PgTables>().toEqualTypeOf<keyof SqliteTables>();
    expectTypeOf<Mismatched<"$inferSelect">>().toEqualTypeOf<never>();
    expectTypeOf<Mismatched<"$inferInsert">>().toEqualTypeOf<never>();
    // The rowid aliases are required on PostgreSQL (no default there).
    expectTypeOf<PgTables["actSettings"]["$inferInsert"]["workspaceId"]>().toEqualTypeOf<number>();
  });
});
