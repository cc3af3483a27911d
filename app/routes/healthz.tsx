// Liveness for tests and load balancers: answers once the database is open and migrated.
import { databaseAnswers } from "~/data/health.server";

export async function loader() {
  await databaseAnswers();
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
