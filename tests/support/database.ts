// A real SQLite file per test file: set DATABASE_PATH before anything opens the database.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

const TMP = path.resolve("tests/.tmp");

export function freshDatabasePath(name: string): string {
  fs.mkdirSync(TMP, { recursive: true });
  const file = path.join(TMP, `${name}-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  process.env.DATABASE_PATH = file;
  return file;
}

export function removeDatabase(file: string) {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}
