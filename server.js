// @ts-check
// The production server (`npm start`): one Node process serving the built app (build/ from
// `npm run build`). Express with compression, the client assets (hashed files cached for a year),
// the fast API routes answered straight from the server build (app/api/fast-routes.server.ts), and
// Remix for everything else. It replaces remix-serve, whose Remix-only pipeline and per-request
// logging capped response ingestion (docs/decisions/011-production-server.md).
//
// Environment: PORT (default 3000), HOST (default every interface), DATABASE_PATH (the app reads it),
// LOG_REQUESTS=1 to log one line per request (method, path, status, milliseconds) to stdout.
import path from "node:path";
import url from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";

installGlobals({ nativeFetch: true });
process.env.NODE_ENV ??= "production";

const root = path.dirname(url.fileURLToPath(import.meta.url));
const buildFile = path.join(root, "build", "server", "index.js");
/** @type {import("@remix-run/node").ServerBuild & { entry: { module: { fastRoutes?: import("./app/api/fast-routes.server").FastRoute[]; startBackgroundWork?: () => void; stopBackgroundWork?: () => Promise<void>; beginShutdown?: () => void; answerRouteFailures?: <B>(build: B) => B; applySecurityDefaults?: typeof import("./app/web/security-headers.server").applySecurityDefaults; crossSiteRefusal?: typeof import("./app/web/same-origin.server").crossSiteRefusal } } }} */
const loaded = await import(url.pathToFileURL(buildFile).href).catch((error) => {
  console.error(`Cannot load ${path.relative(process.cwd(), buildFile)}: run \`npm run build\` first.\n${error}`);
  process.exit(1);
});
// Loaders and actions that fail because the database cannot be written (full disk, read-only file)
// answer 503 "retry later" rather than 500 (app/web/route-failures.server.ts).
const build = loaded.entry.module.answerRouteFailures?.(loaded) ?? loaded;

const app = express();
app.disable("x-powered-by");
// Behind a TLS proxy or load balancer, TRUST_PROXY says whom to believe about the client's address and
// scheme (X-Forwarded-For / -Proto): "1" for one proxy hop, a number of hops, or Express's list of
// addresses and subnets. Unset, the socket's address is the client's and nothing forwarded is read.
const trustProxy = process.env.TRUST_PROXY?.trim();
if (trustProxy) app.set("trust proxy", /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);

if (process.env.LOG_REQUESTS === "1") {
  app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${(performance.now() - started).toFixed(1)} ms`));
    next();
  });
}

// Security headers on every response that does not set its own (pages set theirs in the entry), and
// state-changing requests another site makes a browser send refused with a 403 before any route runs
// (app/web/security-headers.server.ts, app/web/same-origin.server.ts).
const { applySecurityDefaults, crossSiteRefusal } = build.entry.module;
app.use((req, res, next) => {
  applySecurityDefaults?.(res, req.secure);
  const refusal = crossSiteRefusal?.(req);
  if (refusal) return void res.status(403).type("text/plain").send(refusal);
  next();
});

// Every request's body bounded by its path's limit, counted as it streams (chunked bodies declare no
// length): 413, or 415 for a page posted anything but a form, before a route reads a byte
// (app/web/body-limit.server.ts). The fast routes below keep their own limit as well.
const { limitRequestBody } = /** @type {{ limitRequestBody?: typeof import("./app/web/body-limit.server").limitRequestBody }} */ (build.entry.module);
if (limitRequestBody) app.use(limitRequestBody);

/**
 * Reads the body as text up to `limit` bytes; null (and the connection left to close) beyond it.
 * @param {import("node:http").IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<string | null>}
 */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on("data", (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * @param {import("express").Response} res
 * @param {import("./app/api/responses.server").ApiReply} reply
 */
function sendReply(res, reply) {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

// Fast routes first: no compression (their answers are a few bytes) and no Fetch Request to build.
for (const route of build.entry.module.fastRoutes ?? []) {
  app.post(route.path, async (req, res) => {
    try {
      if (Number(req.headers["content-length"] ?? 0) > route.maxBodyBytes) {
        res.setHeader("Connection", "close");
        return sendReply(res, route.tooLarge());
      }
      /** @type {Promise<string | null> | undefined} */
      let body;
      const reply = await route.handle({
        method: req.method,
        address: req.ip ?? "",
        header: (name) => {
          const value = req.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(", ") : value;
        },
        text: async () => {
          const text = await (body ??= readBody(req, route.maxBodyBytes));
          if (text === null) throw new BodyTooLarge();
          return text;
        },
      });
      sendReply(res, reply);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader("Connection", "close");
        return sendReply(res, route.tooLarge());
      }
      console.error(error);
      if (!res.headersSent) sendReply(res, { status: 500, body: { error: "internal", message: "Something went wrong on our side; nothing was stored." } });
    }
  });
}

class BodyTooLarge extends Error {}

app.use(compression());
app.use("/assets", express.static(path.join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build", "client"), { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    // What routes know of the connection that the Fetch Request does not carry (app/web/context.ts).
    getLoadContext: (req) => ({ clientAddress: req.ip ?? "", secure: req.secure }),
  }),
);

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || undefined;
const onListen = () => {
  console.log(`Vivencia listening on http://${host ?? "localhost"}:${port}`);
  build.entry.module.startBackgroundWork?.();
};
const server = host ? app.listen(port, host, onListen) : app.listen(port, onListen);
// Keep-alive longer than a typical load balancer's idle timeout, so it never reuses a closed socket.
server.keepAliveTimeout = 65_000;
// On SIGTERM or SIGINT: stop accepting, let requests in flight finish, hand the background jobs this
// process holds back to the queue (another node takes them over at once), then exit. A connection
// still busy after the grace period (a client that stopped reading its response) is cut.
const graceMs = Number(process.env.SHUTDOWN_GRACE_MS || 10_000);
for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) {
  process.once(signal, () => {
    console.log(`[shutdown] ${signal}: not ready any more (/readyz 503); finishing the requests in flight, then handing background jobs back`);
    build.entry.module.beginShutdown?.();
    server.close(() => {
      // A round of webhook deliveries in progress records its results first, within the grace
      // period too: past it, what is still unrecorded is retried once its lease runs out.
      const stopped = build.entry.module.stopBackgroundWork?.() ?? Promise.resolve();
      const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      Promise.race([stopped, deadline])
        .catch((error) => console.warn("[shutdown]", error))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}
