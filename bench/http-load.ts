// The load generator of bench:ingest: C keep-alive HTTP/1.1 connections over plain sockets, each
// sending its next request as soon as the last one is answered, requests serialised before the clock
// starts (or, for a run of a given length, made one by one from a function). Like wrk or autocannon, and unlike node:http (~60 µs of client CPU per request here) or
// fetch (about twice that): the client shares the machine's two cores with the server, and whatever
// it spends is measured as server slowness, more so on the route that keeps both cores busy.
//
// It speaks just enough HTTP for the server under test: a status line, headers, and a body of
// Content-Length bytes (or chunked); "Connection: close" is honoured by connecting again.
import net from "node:net";

export type LoadResult = { latencies: Float64Array; seconds: number; failures: number; firstFailure: string };

/**
 * The requests to send: a list, or a function giving request i (null once there are no more: a
 * run for a given time answers null after its deadline).
 */
export type RequestSource = readonly Buffer[] | ((i: number) => Buffer | null);

/** Counters a caller may watch while the run goes on (the sustained run's reader reads them). */
export type LoadProgress = { sent: number; answered: number; ok: number };

const HEADER_END = Buffer.from("\r\n\r\n");
const CHUNKED_END = Buffer.from("\r\n0\r\n\r\n");

/** One POST, ready to write: the request line, headers and body. */
export function postRequest(host: string, path: string, headers: Record<string, string>, body: string): Buffer {
  const bytes = Buffer.from(body, "utf8");
  const lines = [`POST ${path} HTTP/1.1`, `Host: ${host}`, `Content-Length: ${bytes.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

/**
 * Sends every request over `concurrency` connections to host:port; resolves when all are answered.
 * `progress`, when given, is kept up to date as requests go out and answers come back.
 */
export function httpLoad(
  host: string,
  port: number,
  source: RequestSource,
  concurrency: number,
  expectStatus = 201,
  progress: LoadProgress = { sent: 0, answered: 0, ok: 0 },
): Promise<LoadResult> {
  const request = typeof source === "function" ? source : (i: number) => (i < source.length ? source[i] : null);
  // Grown by doubling when the source is a function (its length is unknown in advance).
  let latencies = new Float64Array(typeof source === "function" ? 65_536 : Math.max(1, source.length));
  let next = 0;
  let exhausted = false;
  let open = 0;
  let answered = 0;
  let failures = 0;
  let firstFailure = "";
  const t0 = performance.now();
  let lastAnswer = t0;

  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      // Until the last answer: closing the idle connections afterwards is not part of the run.
      resolve({ latencies: latencies.slice(0, answered), seconds: (lastAnswer - t0) / 1000, failures, firstFailure });
    };
    const settle = (i: number, started: number, failure: string | null) => {
      if (i >= latencies.length) {
        const grown = new Float64Array(Math.max(latencies.length * 2, i + 1));
        grown.set(latencies);
        latencies = grown;
      }
      lastAnswer = performance.now();
      latencies[i] = lastAnswer - started;
      answered++;
      progress.answered++;
      if (failure !== null) {
        failures++;
        firstFailure ||= failure;
      } else progress.ok++;
    };
    /** The next request and its index, or null when the source has no more. */
    const take = (): [number, Buffer] | null => {
      if (exhausted) return null;
      const buffer = request(next);
      if (buffer === null) {
        exhausted = true;
        return null;
      }
      return [next++, buffer];
    };

    const connection = () => {
      open++;
      const socket = net.connect({ host, port, noDelay: true });
      let pending: Buffer | null = null;
      let current = -1;
      let started = 0;
      const sendNext = () => {
        const taken = take();
        if (!taken) {
          current = -1;
          socket.end();
          return;
        }
        current = taken[0];
        started = performance.now();
        progress.sent++;
        socket.write(taken[1]);
      };
      socket.on("connect", sendNext);
      socket.on("data", (chunk: Buffer) => {
        pending = pending ? Buffer.concat([pending, chunk]) : chunk;
        const headerEnd = pending.indexOf(HEADER_END);
        if (headerEnd < 0) return;
        const head = pending.toString("latin1", 0, headerEnd);
        const bodyStart = headerEnd + HEADER_END.length;
        let end: number;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (length) end = bodyStart + Number(length[1]);
        else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
          const last = pending.indexOf(CHUNKED_END, bodyStart - 2);
          end = last < 0 ? Infinity : last + CHUNKED_END.length;
        } else end = bodyStart;
        if (pending.length < end) return;
        const status = Number(head.slice(9, 12));
        const failure = status === expectStatus ? null : `${status} ${pending.toString("utf8", bodyStart, Math.min(end, bodyStart + 300))}`;
        pending = null;
        const i = current;
        current = -1;
        settle(i, started, failure);
        if (/\r\nconnection:\s*close/i.test(head)) {
          socket.destroy();
          if (!exhausted) connection();
        } else sendNext();
      });
      socket.on("error", () => {}); // reported by "close" below
      socket.on("close", () => {
        open--;
        if (current >= 0) {
          const i = current;
          current = -1;
          settle(i, started, "the connection closed before the answer");
          if (!exhausted) connection();
        }
        // The run is over when the source is exhausted and every connection has closed.
        if (exhausted && open === 0) finish();
      });
    };
    const first = typeof source === "function" ? concurrency : Math.min(concurrency, source.length);
    if (first === 0) return finish();
    for (let c = 0; c < first; c++) connection();
  });
}
