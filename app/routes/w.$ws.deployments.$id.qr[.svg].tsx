// The QR code of a deployment's public link, as an SVG image (for a counter sign or a receipt);
// ?download=1 serves it as a file.
import type { LoaderFunctionArgs } from "@remix-run/node";
import QRCode from "qrcode";
import { requireMember } from "~/auth/guard.server";
import { getDeployment, linkOrigin, surveyLink } from "~/data/deployments.server";
import { notFound } from "~/web/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws);
  const deployment = await getDeployment(workspace.id, Number(params.id));
  if (!deployment) throw notFound();
  const link = surveyLink(linkOrigin(request), deployment.publicToken);
  // Level M survives a smudged or partly covered print; the 4-module quiet zone is the standard's.
  const svg = await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M", margin: 4, color: { dark: "#000000", light: "#ffffff" } });
  const headers: Record<string, string> = {
    "Content-Type": "image/svg+xml; charset=utf-8",
    "Cache-Control": "private, max-age=300",
    "X-Content-Type-Options": "nosniff",
  };
  if (new URL(request.url).searchParams.get("download")) {
    headers["Content-Disposition"] = `attachment; filename="vivencia-qr-${deployment.id}.svg"`;
  }
  return new Response(svg, { headers });
}
