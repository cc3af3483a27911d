// Readiness for load balancers and orchestrators: 200 "ready" when this node should get traffic;
// 503 with a short reason when the database cannot be written (a full disk, a read-only file or
// database: reads still work, writes answer 503) or when the process is shutting down (SIGTERM:
// requests in flight finish, new ones should go elsewhere). Plain text, never cached.
import { readiness } from "~/data/health.server";

export async function loader() {
  const report = await readiness();
  return new Response(report.ok ? "ready" : `not ready: ${report.reason}`, {
    status: report.ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
