// Liveness for tests and load balancers: answers once the database is open and migrated.
import { getDb } from "#db/client";

export function loader() {
  getDb().$client.prepare("select 1").get();
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
