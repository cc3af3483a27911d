// The HTTP ceiling for `npm run bench:ingest`: the same server, the same request body, and nothing
// done with it. Off (404) unless the process was started with VIVENCIA_BENCH=1.
import type { ActionFunctionArgs } from "@remix-run/node";

const enabled = process.env.VIVENCIA_BENCH === "1";

function notFound() {
  return Response.json({ error: "not_found", message: "Not found." }, { status: 404 });
}

export async function action({ request }: ActionFunctionArgs) {
  if (!enabled) return notFound();
  // Read the body as the real endpoint does, so the ceiling includes receiving it.
  await request.text();
  return Response.json({ id: 0 }, { status: 201 });
}

export function loader() {
  return notFound();
}
