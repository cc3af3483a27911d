// Failures every route answers the same way, instead of a 500 (answerRouteFailures, applied by
// server.js to the whole build).
//
// Writes refused because the database cannot be written right now (a full disk, a read-only file or
// database: db/unwritable.ts) answer 503 with a message a person can act on — nothing was stored,
// retry later — never a 500: the transaction rolled back, and the app recovers by itself once the
// condition clears. Reads keep working meanwhile. The API says it in JSON; pages show the message
// in the reader's language through their error boundary.
//
// Input no route should have had to check (a form body that cannot be parsed, an id beyond the
// integer range) is answered as what it is: 400 or 404.
import { unwritableCode, driverMessage } from "#db/unwritable";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";

/** Seconds a client is asked to wait before retrying. */
export const RETRY_AFTER_SECONDS = 10;
export const UNWRITABLE_MESSAGE = "The database cannot be written right now; nothing was stored. Retry later.";
/** For a write whose commit may have happened: an honest answer, and how to retry safely. */
export const UNKNOWN_OUTCOME_MESSAGE =
  "Something went wrong on our side; the response may or may not have been stored. Retry with the same Idempotency-Key: a retry of a stored response stores nothing twice.";

// One line per episode in the log, not one per refused request: a burst of writes against a full
// disk would otherwise flood it.
const LOG_EVERY_MS = 10_000;
let lastLogged = 0;
let refusedSinceLog = 0;

/** Notes a refused write in the log (at most once every LOG_EVERY_MS, with how many were refused). */
export function logUnwritable(error: unknown, where: string): void {
  refusedSinceLog++;
  const now = Date.now();
  if (now - lastLogged < LOG_EVERY_MS) return;
  console.warn(
    `[storage] the database cannot be written (${unwritableCode(error)}: ${driverMessage(error)}); ${where} answered 503` +
      (refusedSinceLog > 1 ? ` (${refusedSinceLog} writes refused since the last note)` : ""),
  );
  lastLogged = now;
  refusedSinceLog = 0;
}

/** The 503 answer for a loader or action that failed because the database cannot be written; null for any other failure. */
export async function storageFailureResponse(error: unknown, request: Request): Promise<Response | null> {
  if (unwritableCode(error) === null) return null;
  const url = new URL(request.url);
  logUnwritable(error, `${request.method} ${url.pathname}`);
  // The API speaks English (README, "The API"); pages speak the reader's language.
  const message = url.pathname.startsWith("/api/") ? UNWRITABLE_MESSAGE : translator(await requestLang(request))("operations.unwritable");
  return Response.json(
    { error: "unavailable", message },
    { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } },
  );
}

/** The causes an error carries, outermost first (drizzle wraps driver errors as "Failed query: …"). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * Input that no route should have had to check, answered as what it is rather than a 500: a form body
 * that cannot be parsed (malformed multipart, a broken boundary) is a 400; an id beyond what the
 * database's integer columns hold (PostgreSQL's numeric_value_out_of_range, 22003) names nothing, so 404.
 */
function unreadableInputResponse(error: unknown): Response | null {
  const chain = causes(error);
  if (chain.some((e) => (e as { code?: unknown }).code === "22003")) {
    return Response.json({ error: "not_found", message: "Not found." }, { status: 404 });
  }
  if (error instanceof TypeError && /formdata|multipart|boundary/i.test(error.message)) {
    return Response.json({ error: "bad_request", message: "The form could not be read: send it again from the page." }, { status: 400 });
  }
  return null;
}

type Handler = (args: { request: Request }) => unknown;
type RouteModule = Record<string, unknown> & { loader?: Handler; action?: Handler };
type Build = { routes: Record<string, { module: RouteModule } & Record<string, unknown>> };

/**
 * The server build with every route's loader and action answering storage failures with 503
 * (storageFailureResponse), and unreadable input with 400 or 404 (unreadableInputResponse),
 * instead of a 500. server.js applies it to the build it serves; thrown Responses are Remix's own
 * way to answer with a status from a loader or action.
 */
export function answerRouteFailures<B extends Build>(build: B): B {
  const routes: Build["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module: RouteModule = { ...route.module };
    for (const name of ["loader", "action"] as const) {
      const handler = route.module[name];
      if (typeof handler !== "function") continue;
      module[name] = async (args: { request: Request }) => {
        try {
          return await handler(args);
        } catch (error) {
          throw (await storageFailureResponse(error, args.request)) ?? unreadableInputResponse(error) ?? error;
        }
      };
    }
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}
