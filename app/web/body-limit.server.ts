// Request bodies bounded on every route, before any route reads them. The production server
// (server.js) mounts `limitRequestBody` ahead of the fast routes and Remix: a body declared larger
// than its path's limit is answered 413 at once, unread; a body that declares no length (chunked)
// is counted as it streams, and refused the moment it passes the limit. A page (not the API) that
// is posted anything but a form is answered 415. Nothing is held in memory beyond the path's limit.
//
// Why here and not in each route: Remix's request.formData() reads the whole body into memory
// whatever its size, and a Content-Length header is only a claim (chunked bodies have none).
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_RESPONSE_BODY_BYTES } from "~/api/responses.server";
import { MAX_UPLOAD_BYTES } from "~/data/crm-import-jobs.server";

const KB = 1024;
const MB = 1024 * KB;

/** A page's form post, unless its path says otherwise: a form of text fields is a few KB. */
export const PAGE_FORM_BYTES = 256 * KB;

export type BodyRule = {
  path: RegExp;
  /** Largest body accepted. */
  bytes: number;
  /** A different limit for multipart bodies (a file upload). */
  multipartBytes?: number;
  /**
   * The route itself answers a body declared over the limit, without reading it (a page with a
   * report of its own); the connection is cut if the client keeps sending after that answer.
   */
  routeAnswersDeclaredOversize?: boolean;
};

/**
 * Limits by path, first match wins; anything else gets PAGE_FORM_BYTES. Paths are matched without
 * Remix's single-fetch `.data` suffix, so a page and its data request share a limit.
 */
export const BODY_RULES: readonly BodyRule[] = [
  // The API's JSON bodies (their routes say why these sizes). POST /api/v1/responses (the server's
  // fast route, and its Remix twin) checks the same limit itself too.
  { path: /^\/api\/v1\/customers$/, bytes: 4 * MB },
  { path: /^\/api\/v1\/events$/, bytes: 2 * MB },
  { path: /^\/api\/v1\/invitations$/, bytes: 2 * MB },
  { path: /^\/api\/v1\/responses$/, bytes: MAX_RESPONSE_BODY_BYTES },
  // The CSV import streams its file to disk and refuses one past MAX_UPLOAD_BYTES itself (with a
  // friendly report); the margin is the multipart framing and the form's other fields.
  { path: /^\/w\/[^/]+\/crm\/import$/, bytes: PAGE_FORM_BYTES, multipartBytes: MAX_UPLOAD_BYTES + MB, routeAnswersDeclaredOversize: true },
  // Journey import: a file of up to 2 MB, or its text sent back as a form field to confirm a
  // replacement (url-encoding can triple JSON's size).
  { path: /^\/w\/[^/]+\/journeys$/, bytes: 8 * MB },
  // The survey JSON editor: a definition of up to 2,000,000 characters, url-encoded.
  { path: /^\/w\/[^/]+\/surveys\/[^/]+$/, bytes: 8 * MB },
  // Respondent pages: answers of up to 256 KB (s) and 64 KB (p), url-encoded, and saved progress.
  { path: /^\/s\/[^/]+$/, bytes: MB },
  { path: /^\/p\/[^/]+$/, bytes: 512 * KB },
];

/** Bodies held in memory (to be refused whole or handed on whole) only up to this; larger limits stream. */
const HOLD_LIMIT = 16 * MB;
/** After refusing a body still arriving, how long the client may keep sending before the connection is cut. */
const LINGER_MS = 2_000;

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** The path without query and without single fetch's `.data` suffix (`/_root.data` is `/`). */
export function routePath(url: string): string {
  const path = url.split("?")[0].split("#")[0] || "/";
  if (path === "/_root.data") return "/";
  return path.endsWith(".data") ? path.slice(0, -".data".length) : path;
}

/** The media type of a Content-Type header, lower-case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/** The largest body accepted for a path and content type, and whether the route answers a larger declared one. */
export function bodyLimitFor(
  path: string,
  contentType: string | undefined,
  rules: readonly BodyRule[] = BODY_RULES,
): { bytes: number; routeAnswersDeclaredOversize: boolean } {
  const rule = rules.find((r) => r.path.test(path));
  if (!rule) return { bytes: PAGE_FORM_BYTES, routeAnswersDeclaredOversize: false };
  const multipart = rule.multipartBytes !== undefined && mediaType(contentType) === "multipart/form-data";
  return { bytes: multipart ? rule.multipartBytes! : rule.bytes, routeAnswersDeclaredOversize: multipart && rule.routeAnswersDeclaredOversize === true };
}

const isApi = (path: string) => path === "/api" || path.startsWith("/api/");

function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / KB)} KB`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A short page in both languages: this answer is given before the app knows the person's language. */
function page(title: { es: string; en: string }, text: { es: string; en: string }): string {
  return (
    `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title.es)} · ${escapeHtml(title.en)}</title></head><body><main>` +
    `<h1>${escapeHtml(title.es)}</h1><p>${escapeHtml(text.es)}</p>` +
    `<h1 lang="en">${escapeHtml(title.en)}</h1><p lang="en">${escapeHtml(text.en)}</p>` +
    `</main></body></html>\n`
  );
}

type Refusal = { status: 413 | 415; json: { error: string; message: string }; html: string };

function tooLarge(limit: number): Refusal {
  const size = sizeText(limit);
  return {
    status: 413,
    json: { error: "too_large", message: `The body is larger than ${size}, the limit for this address; nothing was read or stored.` },
    html: page(
      { es: "Envío demasiado grande", en: "Request too large" },
      {
        es: `Lo enviado supera ${size}, el límite de esta página; no se guardó nada. Vuelva atrás y envíe menos datos.`,
        en: `What was sent is larger than ${size}, this page's limit; nothing was stored. Go back and send less.`,
      },
    ),
  };
}

const NOT_A_FORM: Refusal = {
  status: 415,
  json: { error: "unsupported_media_type", message: "Send a form: application/x-www-form-urlencoded or multipart/form-data." },
  html: page(
    { es: "Formato no admitido", en: "Unsupported format" },
    {
      es: "Esta página solo recibe formularios (application/x-www-form-urlencoded o multipart/form-data).",
      en: "This page only takes forms (application/x-www-form-urlencoded or multipart/form-data).",
    },
  ),
};

/**
 * Answers the refusal; the rest of the body is never read into memory (see cutOffOnceAnswered).
 */
function refuse(req: IncomingMessage, res: ServerResponse, path: string, refusal: Refusal): void {
  const body = isApi(path) ? JSON.stringify(refusal.json) : refusal.html;
  res.writeHead(refusal.status, {
    "Content-Type": isApi(path) ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
  cutOffOnceAnswered(req, res);
}

/**
 * Once the answer has gone out to a client still sending a refused body: our side of the connection
 * is closed (the client sees the answer end there and stops sending), what still arrives is
 * discarded, and after LINGER_MS the connection is cut. Closing both sides at once would make the
 * kernel reset the connection over the unread bytes, and a client still writing could lose the
 * answer; keeping it open would let the client send its whole body first (nginx's lingering close).
 */
function cutOffOnceAnswered(req: IncomingMessage, res: ServerResponse): void {
  const cut = () => {
    if (req.complete) return;
    const socket = req.socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
  };
  if (res.writableFinished) cut();
  else res.once("finish", cut);
}

type Push = (chunk: unknown, encoding?: BufferEncoding) => boolean;

/**
 * Counts a body that declared no length as Node's HTTP parser hands it over (IncomingMessage#push,
 * before any consumer buffers it). Within `limit`, `hold` keeps the chunks and hands the whole body
 * on once it has ended (a refusal then never races a route that has started); otherwise the chunks
 * flow on as they come and, past the limit, the route's read fails.
 */
function countStreamed(req: IncomingMessage, res: ServerResponse, path: string, limit: number, hold: boolean, next: () => void): void {
  const push: Push = req.push.bind(req);
  const held: Buffer[] = [];
  let size = 0;
  let refused = false;
  const counting: Push = (chunk, encoding) => {
    if (chunk === null) {
      req.push = push;
      // A streamed body whose reader was told it failed does not end as well.
      if (refused) return hold ? push(null) : true;
      if (held.length > 0) push(Buffer.concat(held));
      held.length = 0;
      const ended = push(null);
      // Out of the parser's callback before the app runs.
      if (hold) setImmediate(next);
      return ended;
    }
    if (refused) return true; // discarded
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
    size += bytes.length;
    if (size > limit) {
      refused = true;
      held.length = 0;
      if (hold) refuse(req, res, path, tooLarge(limit));
      else {
        // Streaming: the route is reading; its read fails and it answers (it may not read at all).
        if (req.listenerCount("error") > 0) req.emit("error", Object.assign(new Error(`The body is larger than ${sizeText(limit)}.`), { status: 413 }));
        cutOffOnceAnswered(req, res);
      }
      return true;
    }
    if (hold) {
      held.push(bytes);
      return true;
    }
    return push(bytes);
  };
  req.push = counting as IncomingMessage["push"];
  if (!hold) next();
}

export type BodyLimitMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The middleware for a set of rules; bodies are held (not streamed) up to `holdLimit`. */
export function createBodyLimit(rules: readonly BodyRule[] = BODY_RULES, holdLimit = HOLD_LIMIT): BodyLimitMiddleware {
  return (req, res, next) => limitBody(req, res, next, rules, holdLimit);
}

function limitBody(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void, rules: readonly BodyRule[], holdLimit: number): void {
  const method = req.method ?? "GET";
  const path = routePath(req.url ?? "/");
  const declared = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  if (!chunked && (declared === undefined || Number(declared) === 0)) return next();
  const contentType = req.headers["content-type"];
  // A page takes forms only: anything else would make request.formData() throw (a 500).
  if (!isApi(path) && method !== "GET" && method !== "HEAD" && !FORM_TYPES.has(mediaType(contentType))) {
    return refuse(req, res, path, NOT_A_FORM);
  }
  const { bytes: limit, routeAnswersDeclaredOversize } = bodyLimitFor(path, contentType, rules);
  // Node's parser never hands over more than a declared Content-Length: within it, nothing to count.
  if (!chunked) {
    if (Number(declared) <= limit) return next();
    if (!routeAnswersDeclaredOversize) return refuse(req, res, path, tooLarge(limit));
    cutOffOnceAnswered(req, res);
    return next();
  }
  countStreamed(req, res, path, limit, limit <= holdLimit, () => next());
}

/** Express-style middleware (server.js) with the rules above: see the top of this file. */
export const limitRequestBody: BodyLimitMiddleware = createBodyLimit();
