// Downloads the customers matching the list's filter as CSV, streamed (the identity columns re-import).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/auth/guard.server";
import { customersCsvStream } from "~/web/customers-csv.server";
import { parseCustomerQuery } from "~/web/customers-query.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws);
  const { filter } = parseCustomerQuery(new URL(request.url).searchParams);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(customersCsvStream(workspace.id, filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="customers-${workspace.slug}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
