// The HTTP ceiling of `npm run bench:ingest` through Remix (the production server answers this
// path itself, see app/api/fast-routes.server.ts). Off (404) unless VIVENCIA_BENCH=1.
import type { ActionFunctionArgs } from "@remix-run/node";
import { benchNoop, fromRequest, notFound, toResponse } from "~/api/fast-routes.server";

export async function action({ request }: ActionFunctionArgs) {
  return toResponse(await benchNoop(fromRequest(request)));
}

export function loader() {
  return toResponse(notFound());
}
