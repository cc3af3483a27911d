// `cem journeys …`: import and export journey files, print the JSON Schema.
import fs from "node:fs";
import { journeyJsonSchemaText, parseJourneyFile, serializeJourneyFile } from "~/cem/journey";
import { journeyExists, loadJourney, saveJourney } from "~/data/journeys.server";
import type { CliArgs } from "./cem";
import { CliError, requireWorkspace } from "./workspace";

export async function runJourneys(args: CliArgs): Promise<number> {
  const [command, target] = args.positionals;
  try {
    switch (command) {
      case "schema":
        process.stdout.write(journeyJsonSchemaText());
        return 0;
      case "export": {
        const ws = await requireWorkspace(args.workspace);
        if (!target) throw new CliError("Name the journey: journeys export KEY --workspace SLUG.");
        const journey = await loadJourney(ws.id, target);
        if (!journey) throw new CliError(`No journey "${target}" in workspace "${ws.slug}".`);
        process.stdout.write(serializeJourneyFile(journey));
        return 0;
      }
      case "import": {
        const ws = await requireWorkspace(args.workspace);
        if (!target) throw new CliError("Name the file: journeys import FILE --workspace SLUG.");
        if (!fs.existsSync(target)) throw new CliError(`No such file: ${target}`);
        const parsed = parseJourneyFile(fs.readFileSync(target, "utf8"));
        if (!parsed.ok) {
          process.stderr.write(`${target}: ${parsed.errors.length} error(s); nothing imported.\n`);
          for (const e of parsed.errors) process.stderr.write(`  ${e.path || "(file)"}: ${e.message}\n`);
          return 1;
        }
        if (!args.replace && (await journeyExists(ws.id, parsed.journey.key))) {
          throw new CliError(`Journey "${parsed.journey.key}" exists in "${ws.slug}"; pass --replace to overwrite it.`);
        }
        const saved = await saveJourney(ws.id, parsed.journey, args.replace ? "replace" : "create");
        if (!saved.ok) {
          process.stderr.write(`${target}: nothing imported.\n`);
          for (const e of saved.errors) process.stderr.write(`  ${e.path || "(file)"}: ${e.message}\n`);
          return 1;
        }
        process.stderr.write(`Imported journey "${parsed.journey.key}" into "${ws.slug}".\n`);
        return 0;
      }
      default:
        throw new CliError(`Unknown command "journeys ${command ?? ""}". Use import, export or schema.`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
