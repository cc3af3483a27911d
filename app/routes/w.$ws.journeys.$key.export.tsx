// Downloads a journey as its canonical file (the same bytes the CLI exports).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/auth/guard.server";
import { serializeJourneyFile } from "~/cem/journey";
import { loadJourney } from "~/data/journeys.server";
import { notFound } from "~/web/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws);
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  return new Response(serializeJourneyFile(journey), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${journey.key}.json"`,
    },
  });
}
