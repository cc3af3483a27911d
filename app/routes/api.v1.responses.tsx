// POST /api/v1/responses through Remix. The production server (server.js) answers this path itself
// with the same function (app/api/responses.server.ts) before Remix is reached; this route serves
// it everywhere else (`npm run dev`, any other adapter).
import type { ActionFunctionArgs } from "@remix-run/node";
import { fromRequest, toResponse } from "~/api/fast-routes.server";
import { methodNotAllowed, postResponse } from "~/api/responses.server";
import { clientAddress } from "~/web/context";

export async function action({ request, context }: ActionFunctionArgs) {
  return toResponse(await postResponse(fromRequest(request, clientAddress(context))));
}

export function loader() {
  return toResponse(methodNotAllowed());
}
