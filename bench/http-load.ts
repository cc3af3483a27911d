// The load generator of bench:ingest: C keep-alive HTTP/1.1 connections over plain sockets, each
// sending its next request as soon as the last one is answered, requests serialised before the clock
// starts. Like wrk or autocannon, and unlike node:http (~60 µs of client CPU per request here) or
// fetch (about twice that): the client shares the machine's two cores with the server, and whatever
// it spends is measured as server slowness, more so on the route that keeps both cores busy.
//
// It speaks just enough HTTP for the server under test: a status line, headers, and a body of
// Content-Length bytes (or chunked); "Connection: close" is honoured by connecting again.
import net from "node:net";

export type LoadResult = { latencies: Float64Array; seconds: number; failures: number; firstFailure: string };

const HEADER_END = Buffer.from("\r\n\r\n");
const CHUNKED_END = Buffer.from("\r\n0\r\n\r\n");

/** One POST, ready to write: the request line, headers and body. */
export function postRequest(host: string, path: string, headers: Record<string, string>, body: string): Buffer {
  const bytes = Buffer.from(body, "utf8");
  const lines = [`POST ${path} HTTP/1.1`, `Host: ${host}`, `Content-Length: ${bytes.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

/** Sends every request over `concurrency` connections to host:port; resolves when all are answered. */
export function httpLoad(host: string, port: number, requests: readonly Buffer[], concurrency: number, expectStatus = 201): Promise<LoadResult> {
  const latencies = new Float64Array(requests.length);
  let next = 0;
  let done = 0;
  let failures = 0;
  let firstFailure = "";
  const t0 = performance.now();

  return new Promise((resolve) => {
    const finish = () => resolve({ latencies, seconds: (performance.now() - t0) / 1000, failures, firstFailure });
    const settle = (i: number, started: number, failure: string | null) => {
      latencies[i] = performance.now() - started;
      if (failure !== null) {
        failures++;
        firstFailure ||= failure;
      }
      if (++done === requests.length) finish();
    };

    const connection = () => {
      const socket = net.connect({ host, port, noDelay: true });
      let pending: Buffer | null = null;
      let current = -1;
      let started = 0;
      const sendNext = () => {
        if (next >= requests.length) {
          current = -1;
          socket.end();
          return;
        }
        current = next++;
        started = performance.now();
        socket.write(requests[current]);
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
          if (next < requests.length) connection();
        } else sendNext();
      });
      socket.on("error", () => {}); // reported by "close" below
      socket.on("close", () => {
        if (current < 0) return;
        const i = current;
        current = -1;
        settle(i, started, "the connection closed before the answer");
        if (next < requests.length) connection();
      });
    };
    if (requests.length === 0) return finish();
    for (let c = 0; c < Math.min(concurrency, requests.length); c++) connection();
  });
}
