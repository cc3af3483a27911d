// The batched rate counter on a real SQLite file: hits on their way to the database still count, so a
// slow flush never lets a bucket take more than its limit.
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { RateCounter } from "~/data/rate-limits.server";

const dbFile = freshDatabasePath("rate-counter");
afterAll(() => removeDatabase(dbFile));

describe("a batched bucket", () => {
  it("counts the hits of a flush in flight until the database has them", async () => {
    const counter = new RateCounter(() => 60_000);
    const hit = () => counter.hit("respond_token:slow-flush", 3, 60_000, "batched");
    expect((await hit()).allowed).toBe(true); // first sight: counted in the database (1)
    expect((await hit()).allowed).toBe(true); // pending (2)
    expect((await hit()).allowed).toBe(true); // pending (3)
    const flushing = counter.flush(); // the two pending hits leave for the database…
    expect((await hit()).allowed).toBe(false); // …and still count while they travel
    await flushing;
    expect((await hit()).allowed).toBe(false);
    counter.reset();
  });

  it("refuses the hit past the limit before any flush", async () => {
    const counter = new RateCounter(() => 60_000);
    const hit = () => counter.hit("respond_token:failed-flush", 2, 60_000, "batched");
    expect((await hit()).allowed).toBe(true);
    expect((await hit()).allowed).toBe(true);
    expect((await hit()).allowed).toBe(false);
    counter.reset();
  });
});
