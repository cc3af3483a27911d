// Liveness for load balancers, orchestrators and tests: 200 "ok" while the process is up and the
// database answers a read (it stays 200 when the database cannot be written: that is readiness,
// /readyz); 503 with the reason otherwise. Plain text, never cached.
import { liveness } from "~/data/health.server";

export async function loader() {
  const report = await liveness();
  return new Response(report.ok ? "ok" : `not live: ${report.reason}`, {
    status: report.ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
